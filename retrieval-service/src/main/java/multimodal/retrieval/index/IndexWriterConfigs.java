package multimodal.retrieval.index;

import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues;

/** The index writer's configuration for given HNSW and buffer settings. */
final class IndexWriterConfigs {
  private IndexWriterConfigs() {}

  static IndexWriterConfig of(LuceneMediaIndex.Settings settings) {
    IndexWriterConfig config = new IndexWriterConfig(new StandardAnalyzer());
    KnnVectorsFormat vectors =
        settings.int8()
            ? new Lucene104HnswScalarQuantizedVectorsFormat(
                QuantizedByteVectorValues.ScalarEncoding.UNSIGNED_BYTE,
                settings.m(),
                settings.efConstruction())
            : new Lucene99HnswVectorsFormat(settings.m(), settings.efConstruction());
    config.setCodec(
        new Lucene104Codec() {
          @Override
          public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
            return vectors;
          }
        });
    config.setRAMBufferSizeMB(settings.ramBufferMb());
    // Separate files (not a compound file) so the vector and graph files can be measured and
    // mmapped alone.
    config.setUseCompoundFile(false);
    return config;
  }
}
