package multimodal.retrieval.index;

import com.google.protobuf.ByteString;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.CollectionStatistics;
import org.apache.lucene.search.TermStatistics;
import org.apache.lucene.util.BytesRef;

/**
 * BM25 statistics of a query's terms: per field Lucene's {@link CollectionStatistics}, per term its
 * {@link TermStatistics}. A fan-out sums the shards' statistics ({@link #plus}) and every shard
 * scores with the sum, so BM25 scores over shards equal a single index's (Elasticsearch's
 * dfs_query_then_fetch). Fields and terms a shard does not hold are absent, not zero.
 */
public record Bm25Statistics(
    Map<String, CollectionStatistics> fields, Map<Term, TermStatistics> terms) {
  public static final Bm25Statistics EMPTY = new Bm25Statistics(Map.of(), Map.of());

  public Bm25Statistics {
    fields = Map.copyOf(fields);
    terms = Map.copyOf(terms);
  }

  /** The statistics of an index made of both indexes' documents. */
  public Bm25Statistics plus(Bm25Statistics other) {
    Map<String, CollectionStatistics> f = new LinkedHashMap<>(fields);
    other.fields.forEach(
        (field, s) ->
            f.merge(
                field,
                s,
                (a, b) ->
                    new CollectionStatistics(
                        field,
                        a.maxDoc() + b.maxDoc(),
                        a.docCount() + b.docCount(),
                        a.sumTotalTermFreq() + b.sumTotalTermFreq(),
                        a.sumDocFreq() + b.sumDocFreq())));
    Map<Term, TermStatistics> t = new LinkedHashMap<>(terms);
    other.terms.forEach(
        (term, s) ->
            t.merge(
                term,
                s,
                (a, b) ->
                    new TermStatistics(
                        a.term(),
                        a.docFreq() + b.docFreq(),
                        a.totalTermFreq() + b.totalTermFreq())));
    return new Bm25Statistics(f, t);
  }

  public static Bm25Statistics fromProto(multimodal.v1.Bm25Statistics proto) {
    Map<String, CollectionStatistics> f = new LinkedHashMap<>();
    for (multimodal.v1.Bm25FieldStatistics s : proto.getFieldsList()) {
      if (s.getDocCount() > 0) {
        f.put(
            s.getField(),
            new CollectionStatistics(
                s.getField(),
                s.getMaxDoc(),
                s.getDocCount(),
                s.getSumTotalTermFreq(),
                s.getSumDocFreq()));
      }
    }
    Map<Term, TermStatistics> t = new LinkedHashMap<>();
    for (multimodal.v1.Bm25TermStatistics s : proto.getTermsList()) {
      if (s.getDocFreq() > 0) {
        BytesRef bytes = new BytesRef(s.getTerm().toByteArray());
        t.put(
            new Term(s.getField(), bytes),
            new TermStatistics(bytes, s.getDocFreq(), s.getTotalTermFreq()));
      }
    }
    return new Bm25Statistics(f, t);
  }

  public multimodal.v1.Bm25Statistics toProto() {
    multimodal.v1.Bm25Statistics.Builder proto = multimodal.v1.Bm25Statistics.newBuilder();
    fields
        .values()
        .forEach(
            s ->
                proto.addFields(
                    multimodal.v1.Bm25FieldStatistics.newBuilder()
                        .setField(s.field())
                        .setMaxDoc(s.maxDoc())
                        .setDocCount(s.docCount())
                        .setSumTotalTermFreq(s.sumTotalTermFreq())
                        .setSumDocFreq(s.sumDocFreq())));
    terms.forEach(
        (term, s) ->
            proto.addTerms(
                multimodal.v1.Bm25TermStatistics.newBuilder()
                    .setField(term.field())
                    .setTerm(
                        ByteString.copyFrom(
                            term.bytes().bytes, term.bytes().offset, term.bytes().length))
                    .setDocFreq(s.docFreq())
                    .setTotalTermFreq(s.totalTermFreq())));
    return proto.build();
  }
}
