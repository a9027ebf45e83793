package multimodal.retrieval.index;

import static multimodal.retrieval.index.IndexFields.ITEM_KEY;
import static multimodal.retrieval.index.IndexFields.KEYFRAME;

import java.io.IOException;
import java.util.List;
import multimodal.retrieval.ItemKey;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.join.BitSetProducer;
import org.apache.lucene.search.join.QueryBitSetProducer;
import org.apache.lucene.search.join.ToChildBlockJoinQuery;
import org.apache.lucene.util.BitSet;

/**
 * The block structure of videos and their keyframes: a video's keyframe documents come right before
 * its item document, in one block that Lucene writes, replaces and deletes as a whole (every
 * document of the block has the item's {@link IndexFields#ITEM_KEY}). Says which documents are
 * items (the parents) and which are keyframes (the children), restricts keyframes to those whose
 * item passes an item filter, and maps a keyframe hit to its item's document.
 */
final class KeyframeBlocks {
  /** The keyframe documents. */
  static final Query KEYFRAMES = new TermQuery(new Term(KEYFRAME, "1"));

  /**
   * The item documents: live items and tombstones, and every document of an index written before
   * keyframe blocks.
   */
  static final Query ITEMS =
      new BooleanQuery.Builder()
          .add(MatchAllDocsQuery.INSTANCE, BooleanClause.Occur.FILTER)
          .add(KEYFRAMES, BooleanClause.Occur.MUST_NOT)
          .build();

  // Cached per segment core, deleted documents included (a deleted block stays a block).
  private final BitSetProducer items = new QueryBitSetProducer(ITEMS);

  /** The item document of a key, never one of its keyframes. */
  static Query item(ItemKey key) {
    return new BooleanQuery.Builder()
        .add(new TermQuery(new Term(ITEM_KEY, key.term())), BooleanClause.Occur.FILTER)
        .add(KEYFRAMES, BooleanClause.Occur.MUST_NOT)
        .build();
  }

  /** Which documents are items: the parents of a block join. */
  BitSetProducer parents() {
    return items;
  }

  /**
   * The keyframes of the items that {@code itemFilter} matches; null (every keyframe) for null.
   * {@code itemFilter} must match item documents only, as every {@link SearchFilters} filter does
   * (it requires a live item).
   */
  Query keyframesOf(Query itemFilter) {
    return itemFilter == null ? null : new ToChildBlockJoinQuery(itemFilter, items);
  }

  /** Replaces, in place, each keyframe hit's document with its item's (the next parent). */
  void toItems(IndexReader reader, ScoreDoc[] hits) throws IOException {
    List<LeafReaderContext> leaves = reader.leaves();
    for (ScoreDoc hit : hits) {
      LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(hit.doc, leaves));
      BitSet parents = items.getBitSet(leaf);
      hit.doc = leaf.docBase + parents.nextSetBit(hit.doc - leaf.docBase);
    }
  }
}
