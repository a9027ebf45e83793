package multimodal.retrieval.index;

import static multimodal.retrieval.index.IndexFields.*;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import multimodal.retrieval.Vision;
import org.apache.lucene.document.FloatPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

/**
 * Builds the Lucene filter of a search: tenant, tags, ingest time range, content types, detected
 * objects and safe search. One filter query serves every source, so kNN and BM25 apply it while
 * they search (no post-filter that would return fewer than k hits).
 */
public final class SearchFilters {
  /**
   * Safe search: drops items whose unsafe score is above {@code threshold}.
   *
   * @param excludeUnscored also drop items the safety classifier has not scored
   */
  public record SafeSearch(float threshold, boolean excludeUnscored) {}

  private SearchFilters() {}

  public static Query of(
      String tenant,
      Collection<String> tags,
      Instant ingestedAfter,
      Instant ingestedBefore,
      Collection<String> contentTypes) {
    return of(tenant, tags, ingestedAfter, ingestedBefore, contentTypes, List.of(), null);
  }

  /**
   * @param tags all must be present
   * @param ingestedAfter inclusive, null for none
   * @param ingestedBefore exclusive, null for none
   * @param contentTypes any of them; empty for all
   * @param objects detected object labels, all must be present (case-insensitive)
   * @param safe null for no safe search
   */
  public static Query of(
      String tenant,
      Collection<String> tags,
      Instant ingestedAfter,
      Instant ingestedBefore,
      Collection<String> contentTypes,
      Collection<String> objects,
      SafeSearch safe) {
    BooleanQuery.Builder filter = new BooleanQuery.Builder();
    filter.add(new TermQuery(new Term(TENANT, tenant)), BooleanClause.Occur.FILTER);
    filter.add(new TermQuery(new Term(LIVE, "1")), BooleanClause.Occur.FILTER);
    for (String tag : tags) {
      filter.add(new TermQuery(new Term(TAG, tag)), BooleanClause.Occur.FILTER);
    }
    if (ingestedAfter != null || ingestedBefore != null) {
      long from = ingestedAfter == null ? Long.MIN_VALUE : MediaDocuments.micros(ingestedAfter);
      long to = ingestedBefore == null ? Long.MAX_VALUE : MediaDocuments.micros(ingestedBefore) - 1;
      filter.add(LongPoint.newRangeQuery(INGESTED_AT, from, to), BooleanClause.Occur.FILTER);
    }
    if (!contentTypes.isEmpty()) {
      filter.add(
          new TermInSetQuery(CONTENT_TYPE, contentTypes.stream().map(BytesRef::new).toList()),
          BooleanClause.Occur.FILTER);
    }
    for (String object : objects) {
      filter.add(
          new TermQuery(new Term(OBJECT, Vision.normalizedLabel(object))),
          BooleanClause.Occur.FILTER);
    }
    if (safe != null) {
      filter.add(safe(safe), BooleanClause.Occur.FILTER);
    }
    return filter.build();
  }

  private static Query safe(SafeSearch safe) {
    Query atMost =
        FloatPoint.newRangeQuery(UNSAFE_SCORE, Float.NEGATIVE_INFINITY, safe.threshold());
    if (safe.excludeUnscored()) {
      return atMost;
    }
    Query unscored =
        new BooleanQuery.Builder()
            .add(new TermQuery(new Term(LIVE, "1")), BooleanClause.Occur.FILTER)
            .add(new FieldExistsQuery(UNSAFE_SCORE), BooleanClause.Occur.MUST_NOT)
            .build();
    return new BooleanQuery.Builder()
        .add(atMost, BooleanClause.Occur.SHOULD)
        .add(unscored, BooleanClause.Occur.SHOULD)
        .build();
  }
}
