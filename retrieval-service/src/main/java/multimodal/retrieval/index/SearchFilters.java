package multimodal.retrieval.index;

import static multimodal.retrieval.index.IndexFields.*;

import java.time.Instant;
import java.util.Collection;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;

/** Builds the Lucene filter of a search: tenant, tags, ingest time range, content types. */
public final class SearchFilters {
  private SearchFilters() {}

  /**
   * @param tags all must be present
   * @param ingestedAfter inclusive, null for none
   * @param ingestedBefore exclusive, null for none
   * @param contentTypes any of them; empty for all
   */
  public static Query of(
      String tenant, Collection<String> tags, Instant ingestedAfter, Instant ingestedBefore, Collection<String> contentTypes) {
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
    return filter.build();
  }
}
