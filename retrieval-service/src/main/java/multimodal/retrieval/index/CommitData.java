package multimodal.retrieval.index;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import multimodal.retrieval.SourceOffset;

/**
 * What each Lucene commit stores beside the documents, as user data: the Kafka positions of the
 * records applied ({@code offset:<topic>:<partition>} = next offset to read), the model catalog,
 * the layout version and whether a force-merge is due; and whether anything changed since the last
 * commit. Mutated only under the index's write lock; the offsets may be read at any time.
 */
final class CommitData {
  private static final String OFFSET_PREFIX = "offset:";
  private static final String MERGE_PENDING = "merge-pending";

  /**
   * Commit user data naming the document layout. "3": one document per (tenant, media id), keyed by
   * {@link IndexFields#ITEM_KEY}, a video's keyframes as child documents in a block before it
   * ({@link IndexFields#KEYFRAME}). "2": keyed, the keyframes stored on the item only ({@link
   * KeyframeBlockMigration}). Absent: the layout before, one per media id ({@link
   * ItemKeyMigration}).
   */
  static final String SCHEMA = "schema";

  static final String SCHEMA_VERSION = "3";

  private static final String KEYED_SCHEMA_VERSION = "2";

  /** What an index opened holds, by the layout its last commit names. */
  enum Layout {
    /** Empty, or written in the current layout. */
    CURRENT,
    /** Written before items were keyed by tenant and media id. */
    BEFORE_ITEM_KEYS,
    /** Keyed, but written before keyframes had child documents. */
    BEFORE_KEYFRAME_BLOCKS
  }

  private final ModelCatalog catalog;
  private final Map<String, Long> appliedOffsets = new ConcurrentHashMap<>();
  private long changes;
  private long committedChanges;
  private volatile boolean mergePending;

  CommitData(ModelCatalog catalog) {
    this.catalog = catalog;
  }

  /** Takes over the last commit's user data; says which layout its documents have. */
  Layout load(Map<String, String> userData, boolean hasDocuments) {
    catalog.load(userData);
    mergePending = Boolean.parseBoolean(userData.get(MERGE_PENDING));
    userData.forEach(
        (k, v) -> {
          if (k.startsWith(OFFSET_PREFIX)) {
            appliedOffsets.put(k, Long.parseLong(v));
          }
        });
    String schema = userData.get(SCHEMA);
    if (!hasDocuments || SCHEMA_VERSION.equals(schema)) {
      return Layout.CURRENT;
    }
    return KEYED_SCHEMA_VERSION.equals(schema)
        ? Layout.BEFORE_KEYFRAME_BLOCKS
        : Layout.BEFORE_ITEM_KEYS;
  }

  /** Remembers the records a write applied. */
  void applied(Collection<SourceOffset> sources) {
    for (SourceOffset source : sources) {
      appliedOffsets.merge(
          OFFSET_PREFIX + source.topic() + ":" + source.partition(),
          source.offset() + 1,
          Math::max);
    }
  }

  /** Something changed that the next commit must record. */
  void changed() {
    changes++;
  }

  boolean uncommitted() {
    return changes != committedChanges;
  }

  /** The user data of the next commit. */
  Map<String, String> userData() {
    Map<String, String> userData = new HashMap<>(catalog.toUserData());
    userData.put(SCHEMA, SCHEMA_VERSION);
    appliedOffsets.forEach((k, v) -> userData.put(k, Long.toString(v)));
    if (mergePending) {
      userData.put(MERGE_PENDING, "true");
    }
    return userData;
  }

  /** The changes counted so far are in a commit. */
  void committed() {
    committedChanges = changes;
  }

  boolean mergePending() {
    return mergePending;
  }

  void mergePending(boolean pending) {
    mergePending = pending;
  }

  /** Forgets the catalog and the offsets (the index was emptied). */
  void clear() {
    catalog.clear();
    appliedOffsets.clear();
  }

  /** Next offset to read per "topic:partition", as applied so far (committed or not). */
  Map<String, Long> appliedOffsets() {
    Map<String, Long> result = new HashMap<>();
    appliedOffsets.forEach((k, v) -> result.put(k.substring(OFFSET_PREFIX.length()), v));
    return result;
  }
}
