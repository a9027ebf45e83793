package multimodal.retrieval.index;

import static multimodal.retrieval.index.IndexFields.*;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import multimodal.retrieval.MediaEmbedding;
import multimodal.retrieval.MediaInfo;
import multimodal.retrieval.ModelVersion;
import multimodal.retrieval.ScoredMedia;
import multimodal.retrieval.SourceOffset;
import multimodal.retrieval.VectorQuery;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;

/**
 * The persistent media index: one Lucene document per (media id, model name, model version), an
 * HNSW vector field per model version, near-real-time search through a {@link SearcherManager}.
 *
 * <p>Writes become searchable at once (search refreshes first) and durable at {@link #commit()}.
 * Each commit also records, in its user data, the next Kafka offset per topic partition whose
 * records are all in that commit ({@code offset:<topic>:<partition>}). Thread-safe.
 */
public final class LuceneMediaIndex implements Closeable {
  /** Largest dimension the default Lucene codec accepts. */
  public static final int MAX_DIMENSION = KnnVectorsFormat.DEFAULT_MAX_DIMENSIONS;

  private static final String OFFSET_PREFIX = "offset:";
  private static final int MAX_DOCS_PER_MEDIA = 1_000;

  private final Path path;
  private final Directory directory;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final ModelCatalog catalog = new ModelCatalog();
  private final Map<String, Long> appliedOffsets = new ConcurrentHashMap<>();
  private final AtomicLong changes = new AtomicLong();
  private long committedChanges;
  private volatile boolean open;

  private LuceneMediaIndex(Path path, Directory directory, IndexWriter writer) throws IOException {
    this.path = path;
    this.directory = directory;
    this.writer = writer;
    this.searchers = new SearcherManager(writer, new SearcherFactory());
  }

  /** Opens (or creates) the index in {@code dir}; holds Lucene's write lock until {@link #close()}. */
  public static LuceneMediaIndex open(Path dir) throws IOException {
    Files.createDirectories(dir);
    Directory directory = FSDirectory.open(dir);
    IndexWriterConfig config = new IndexWriterConfig(new StandardAnalyzer());
    config.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
    IndexWriter writer;
    try {
      writer = new IndexWriter(directory, config);
    } catch (IOException | RuntimeException e) {
      directory.close();
      throw e;
    }
    LuceneMediaIndex index = new LuceneMediaIndex(dir, directory, writer);
    index.loadCommittedOffsets();
    index.rebuildCatalog();
    index.open = true;
    return index;
  }

  public Path path() {
    return path;
  }

  public boolean isOpen() {
    return open;
  }

  /**
   * Inserts or replaces the document of (media id, model version): redelivery is idempotent.
   *
   * @param source the Kafka record it came from, or null
   * @throws IllegalArgumentException for a zero vector or a dimension that differs from the one
   *     this model version already has
   */
  public void upsert(MediaEmbedding embedding, SourceOffset source) {
    float[] unit = Vectors.normalized(embedding.vector());
    if (unit.length > MAX_DIMENSION) {
      throw new IllegalArgumentException(
          "dimension " + unit.length + " exceeds the index maximum " + MAX_DIMENSION);
    }
    catalog
        .get(embedding.model())
        .filter(known -> known.dimension() != unit.length)
        .ifPresent(
            known -> {
              throw new IllegalArgumentException(
                  "model %s has dimension %d in the index, got %d"
                      .formatted(embedding.model(), known.dimension(), unit.length));
            });
    Document doc = MediaDocuments.toDocument(embedding, unit);
    try {
      writer.updateDocument(new Term(KEY, documentKey(embedding.mediaId(), embedding.model())), doc);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    catalog.record(embedding.model(), unit.length, MediaDocuments.micros(embedding.embeddedAt()));
    remember(source);
  }

  /** Removes every document of the media id (all model versions, all tenants). */
  public void deleteMedia(String mediaId, SourceOffset source) {
    try {
      writer.deleteDocuments(new Term(MEDIA_ID, mediaId));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    remember(source);
  }

  /** The newest version of a model name, if any of its vectors were ever indexed. */
  public Optional<ModelVersion> newestVersion(String modelName) {
    return catalog.newest(modelName);
  }

  /** The most recently first-seen model version of any name. */
  public Optional<ModelVersion> newestVersion() {
    return catalog.newestOfAll();
  }

  public OptionalInt dimension(ModelVersion model) {
    return catalog.get(model).map(e -> OptionalInt.of(e.dimension())).orElse(OptionalInt.empty());
  }

  /**
   * kNN over the vectors of the query's model version within its tenant, best first. Empty when
   * no vector of that model version was ever indexed.
   *
   * @throws IllegalArgumentException when the query vector's dimension does not match the field
   */
  public List<ScoredMedia> search(VectorQuery query) {
    OptionalInt dimension = dimension(query.model());
    if (dimension.isEmpty()) {
      return List.of();
    }
    if (dimension.getAsInt() != query.vector().length) {
      throw new IllegalArgumentException(
          "query has dimension %d, model %s has %d"
              .formatted(query.vector().length, query.model(), dimension.getAsInt()));
    }
    float[] unit = Vectors.normalized(query.vector());
    KnnFloatVectorQuery knn =
        new KnnFloatVectorQuery(
            vectorField(query.model()),
            unit,
            query.k(),
            new TermQuery(new Term(TENANT, query.tenant())));
    return withSearcher(
        searcher -> {
          TopDocs top = searcher.search(knn, query.k());
          StoredFields stored = searcher.storedFields();
          List<ScoredMedia> hits = new ArrayList<>(top.scoreDocs.length);
          for (ScoreDoc hit : top.scoreDocs) {
            float cosine = Vectors.cosineFromDotProductScore(hit.score);
            if (cosine < query.minScore()) {
              break; // hits come best first
            }
            Document doc = stored.document(hit.doc);
            hits.add(
                new ScoredMedia(
                    doc.get(MEDIA_ID),
                    cosine,
                    doc.get(CONTENT_TYPE),
                    MediaDocuments.metadata(doc),
                    MediaDocuments.time(doc, INGESTED_AT)));
          }
          return hits;
        });
  }

  /** The stored (unit-length) vector of one media item for one model version, with its tenant. */
  public Optional<StoredVector> storedVector(String mediaId, ModelVersion model) {
    return withSearcher(
        searcher -> {
          TopDocs top =
              searcher.search(new TermQuery(new Term(KEY, documentKey(mediaId, model))), 1);
          if (top.scoreDocs.length == 0) {
            return Optional.empty();
          }
          int doc = top.scoreDocs[0].doc;
          List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
          LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
          FloatVectorValues values = leaf.reader().getFloatVectorValues(vectorField(model));
          int local = doc - leaf.docBase;
          if (values == null || values.advance(local) != local) {
            return Optional.empty();
          }
          String tenant = searcher.storedFields().document(doc).get(TENANT);
          return Optional.of(new StoredVector(tenant, values.vectorValue().clone()));
        });
  }

  /** What is known about a media id, merged over its documents; empty when unknown. */
  public Optional<MediaInfo> media(String mediaId) {
    return withSearcher(
        searcher -> {
          TopDocs top =
              searcher.search(new TermQuery(new Term(MEDIA_ID, mediaId)), MAX_DOCS_PER_MEDIA);
          if (top.scoreDocs.length == 0) {
            return Optional.empty();
          }
          StoredFields stored = searcher.storedFields();
          List<Document> docs = new ArrayList<>();
          for (ScoreDoc hit : top.scoreDocs) {
            docs.add(stored.document(hit.doc));
          }
          // The latest embedding carries the freshest copy of the producer's metadata.
          docs.sort(Comparator.comparingLong(MediaDocuments::embeddedMicros).reversed());
          Document latest = docs.get(0);
          List<MediaInfo.Embedded> embeddings = docs.stream().map(MediaDocuments::embedded).toList();
          return Optional.of(
              new MediaInfo(
                  mediaId,
                  latest.get(TENANT),
                  latest.get(CONTENT_TYPE),
                  MediaDocuments.metadata(latest),
                  List.copyOf(new LinkedHashSet<>(List.of(latest.getValues(TAG)))),
                  MediaDocuments.time(latest, INGESTED_AT),
                  embeddings));
        });
  }

  /** Number of live documents (all model versions) as of the latest refresh. */
  public int documentCount() {
    return withSearcher(searcher -> searcher.getIndexReader().numDocs());
  }

  /**
   * Makes everything written so far durable, together with the Kafka offsets applied so far. The
   * offsets are captured before the commit starts, so a commit never claims an offset whose
   * changes it lacks (it may hold a few changes beyond them: replaying those is idempotent).
   */
  public synchronized void commit() {
    long pending = changes.get();
    if (!open || pending == committedChanges) {
      return; // nothing new: do not write an empty commit point
    }
    Map<String, String> userData = new HashMap<>();
    appliedOffsets.forEach((k, v) -> userData.put(k, Long.toString(v)));
    try {
      writer.setLiveCommitData(userData.entrySet());
      writer.commit();
      committedChanges = pending;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Next offset to read per "topic:partition", as applied so far (committed or not). */
  public Map<String, Long> appliedOffsets() {
    Map<String, Long> result = new HashMap<>();
    appliedOffsets.forEach((k, v) -> result.put(k.substring(OFFSET_PREFIX.length()), v));
    return result;
  }

  /** Commits and releases the index (and its write lock). */
  @Override
  public synchronized void close() throws IOException {
    if (!open) {
      return;
    }
    commit();
    open = false;
    try {
      searchers.close();
      writer.close();
    } finally {
      directory.close();
    }
  }

  /** A stored vector and the tenant owning it. */
  public record StoredVector(String tenant, float[] vector) {}

  private interface SearcherFunction<T> {
    T apply(IndexSearcher searcher) throws IOException;
  }

  private <T> T withSearcher(SearcherFunction<T> work) {
    if (!open) {
      throw new IllegalStateException("index is closed");
    }
    try {
      // Read-your-writes: a cheap no-op when nothing changed since the last refresh.
      searchers.maybeRefreshBlocking();
      IndexSearcher searcher = searchers.acquire();
      try {
        return work.apply(searcher);
      } finally {
        searchers.release(searcher);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void remember(SourceOffset source) {
    if (source != null) {
      appliedOffsets.merge(
          OFFSET_PREFIX + source.topic() + ":" + source.partition(), source.offset() + 1, Math::max);
    }
    // After the offset: a commit that sees this change also sees its offset.
    changes.incrementAndGet();
  }

  private void loadCommittedOffsets() throws IOException {
    if (!DirectoryReader.indexExists(directory)) {
      return;
    }
    try (DirectoryReader reader = DirectoryReader.open(directory)) {
      reader
          .getIndexCommit()
          .getUserData()
          .forEach(
              (k, v) -> {
                if (k.startsWith(OFFSET_PREFIX)) {
                  appliedOffsets.put(k, Long.parseLong(v));
                }
              });
    }
  }

  private void rebuildCatalog() throws IOException {
    IndexSearcher searcher = searchers.acquire();
    try {
      Terms terms = MultiTerms.getTerms(searcher.getIndexReader(), MODEL_KEY);
      if (terms == null) {
        return;
      }
      Sort oldestFirst = new Sort(new SortField(EMBEDDED_AT, SortField.Type.LONG));
      TermsEnum it = terms.iterator();
      for (BytesRef term = it.next(); term != null; term = it.next()) {
        TopDocs first =
            searcher.search(new TermQuery(new Term(MODEL_KEY, BytesRef.deepCopyOf(term))), 1, oldestFirst);
        if (first.scoreDocs.length == 1) {
          Document doc = searcher.storedFields().document(first.scoreDocs[0].doc);
          MediaInfo.Embedded embedded = MediaDocuments.embedded(doc);
          catalog.record(
              embedded.model(), embedded.dimension(), MediaDocuments.embeddedMicros(doc));
        }
      }
    } finally {
      searchers.release(searcher);
    }
  }
}
