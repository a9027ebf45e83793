package multimodal.retrieval.index;

import static multimodal.retrieval.index.IndexFields.*;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import multimodal.retrieval.ItemKey;
import multimodal.retrieval.ModelVersion;
import multimodal.retrieval.SourceOffset;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * The persistent media index: one Lucene document per media id, with an HNSW field per image model
 * version, a sentence-vector field per text model version and BM25 text fields, and before a
 * video's document one child document per keyframe with the keyframe's vector ({@link
 * KeyframeBlocks}); near- real-time search through a {@link SearcherManager}.
 *
 * <p>Exactly-once materialisation: {@link #write} takes the Kafka positions of the records whose
 * changes it holds, and {@link #commit()} stores those positions in the same Lucene commit as the
 * documents (user data {@code offset:<topic>:<partition>} = next offset to read). Writes and
 * commits are serialised, so a commit holds exactly the changes up to the offsets it records; a
 * consumer that seeks to {@link #appliedOffsets()} after a crash neither loses nor re-applies a
 * record. Thread-safe.
 *
 * <p>This class is the one entry point the rest of the service uses; it owns the lifecycle (open,
 * commit, force-merge, clear, close, abandon) and the write lock, and hands each job to a
 * package-private part: {@link ItemWrites} (documents, deletions, dimension checks), {@link
 * MediaQueries} (kNN, BM25, shard BM25 statistics), {@link CommitData} (what a commit stores beside
 * the documents), {@link TombstonePurge}, {@link NrtSearchers} (read-your-writes searchers), {@link
 * WriterRelease} (close or bounded rollback) and {@link IndexWriterConfigs} (codec, HNSW).
 */
public final class LuceneMediaIndex implements Closeable {
  /** Largest dimension the default Lucene codec accepts. */
  public static final int MAX_DIMENSION = KnnVectorsFormat.DEFAULT_MAX_DIMENSIONS;

  /**
   * How long closing waits for an aborted force-merge to stop (Kubernetes kills after 30 s by
   * default).
   */
  static final Duration ABORT_WAIT = Duration.ofSeconds(10);

  private final Path path;
  private final Directory directory;
  private final IndexWriter writer;
  private final NrtSearchers searchers;
  private final MediaQueries queries;
  private final ModelCatalog catalog = new ModelCatalog();
  private final CommitData commitData = new CommitData(catalog);
  private final TombstonePurge tombstones;
  private final ItemWrites writes;
  private int forceMerges;
  private volatile boolean open;

  private LuceneMediaIndex(
      Path path,
      Directory directory,
      IndexWriter writer,
      Analyzer analyzer,
      Duration tombstoneRetention)
      throws IOException {
    this.path = path;
    this.directory = directory;
    this.writer = writer;
    this.searchers = new NrtSearchers(writer, () -> open);
    this.queries = new MediaQueries(searchers, analyzer);
    this.tombstones = new TombstonePurge(tombstoneRetention);
    this.writes = new ItemWrites(writer, searchers, catalog, commitData);
  }

  /**
   * HNSW and buffer settings.
   *
   * @param m max connections per node (Lucene's maxConn, hnswlib's M)
   * @param efConstruction candidates while building (Lucene's beamWidth)
   * @param int8 scalar-quantise vectors to 8 bits per dimension for the graph search (the float
   *     vectors are kept too, and rescore the candidates)
   * @param tombstoneRetention how long a deleted item's tombstone is kept (it stops late events of
   *     other topics from resurrecting the item); older ones are purged at commit; null = forever
   */
  public record Settings(
      int m, int efConstruction, boolean int8, double ramBufferMb, Duration tombstoneRetention) {
    public static final Duration DEFAULT_TOMBSTONE_RETENTION = Duration.ofDays(7);
    public static final Settings DEFAULT = new Settings(16, 100, false, 64);

    public Settings(int m, int efConstruction, boolean int8, double ramBufferMb) {
      this(m, efConstruction, int8, ramBufferMb, DEFAULT_TOMBSTONE_RETENTION);
    }
  }

  /** Opens (or creates) the index in {@code dir}; holds Lucene's write lock until closed. */
  public static LuceneMediaIndex open(Path dir) throws IOException {
    return open(dir, Settings.DEFAULT);
  }

  public static LuceneMediaIndex open(Path dir, Settings settings) throws IOException {
    return open(dir, IndexWriterConfigs.of(settings), settings.tombstoneRetention());
  }

  /** With a writer configuration of the caller's (tests instrument its merge scheduler). */
  static LuceneMediaIndex open(Path dir, IndexWriterConfig config, Duration tombstoneRetention)
      throws IOException {
    Files.createDirectories(dir);
    Directory directory = FSDirectory.open(dir);
    config.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
    IndexWriter writer;
    try {
      writer = new IndexWriter(directory, config);
    } catch (IOException | RuntimeException e) {
      directory.close();
      throw e;
    }
    LuceneMediaIndex index =
        new LuceneMediaIndex(dir, directory, writer, config.getAnalyzer(), tombstoneRetention);
    CommitData.Layout layout = index.loadCommitData();
    index.open = true;
    if (layout != CommitData.Layout.CURRENT) {
      try {
        index.migrate(layout);
      } catch (IOException | RuntimeException e) {
        index.abandon(); // release the write lock; the old commit is untouched
        throw e;
      }
    }
    return index;
  }

  public Path path() {
    return path;
  }

  public boolean isOpen() {
    return open;
  }

  /**
   * The tenant's current live items of these media ids (including uncommitted writes), by media id;
   * unknown and deleted ids, and other tenants' items with the same ids, are left out.
   */
  public Map<String, MediaItem> items(String tenant, Collection<String> mediaIds) {
    Map<String, MediaItem> items = new LinkedHashMap<>();
    itemsAndTombstones(mediaIds.stream().map(id -> new ItemKey(tenant, id)).toList())
        .forEach(
            (key, item) -> {
              if (!item.deleted()) {
                items.put(key.mediaId(), item);
              }
            });
    return items;
  }

  /**
   * These items by key, tombstones ({@link MediaItem#deleted()}) included; unknown keys left out.
   */
  public Map<ItemKey, MediaItem> itemsAndTombstones(Collection<ItemKey> keys) {
    return searchers.withSearcher(
        searcher -> {
          Map<ItemKey, MediaItem> items = new LinkedHashMap<>();
          StoredFields stored = searcher.storedFields();
          for (ItemKey key : keys) {
            TopDocs top = searcher.search(KeyframeBlocks.item(key), 1);
            if (top.scoreDocs.length == 1) {
              items.put(key, MediaDocuments.toItem(stored.document(top.scoreDocs[0].doc)));
            }
          }
          return items;
        });
  }

  /** The tenant's live item of this media id. */
  public Optional<MediaItem> item(String tenant, String mediaId) {
    return Optional.ofNullable(items(tenant, List.of(mediaId)).get(mediaId));
  }

  /**
   * Checks that a vector fits the field of its model version (dimension fixed by the first vector
   * seen).
   *
   * @throws IllegalArgumentException naming the mismatch
   */
  public void checkDimension(boolean image, ModelVersion model, int dimension) {
    writes.checkDimension(image, model, dimension);
  }

  /**
   * Writes the new state of some items and removes others, and remembers the Kafka records they
   * came from. Durable at the next {@link #commit()}.
   */
  public synchronized void write(
      Collection<MediaItem> upserts,
      Collection<ItemKey> deletes,
      Collection<SourceOffset> sources) {
    if (!open) {
      throw new IllegalStateException("index is closed");
    }
    writes.write(upserts, deletes, sources);
  }

  /** Newest image model version of a name (any name when null). */
  public Optional<ModelVersion> newestImageModel(String modelName) {
    return catalog.newest(ModelCatalog.Kind.IMAGE, modelName);
  }

  /** Newest sentence model version of a name (any name when null). */
  public Optional<ModelVersion> newestTextModel(String modelName) {
    return catalog.newest(ModelCatalog.Kind.TEXT, modelName);
  }

  public OptionalInt imageDimension(ModelVersion model) {
    return catalog
        .get(ModelCatalog.Kind.IMAGE, model)
        .map(e -> OptionalInt.of(e.dimension()))
        .orElse(OptionalInt.empty());
  }

  public OptionalInt textDimension(ModelVersion model) {
    return catalog
        .get(ModelCatalog.Kind.TEXT, model)
        .map(e -> OptionalInt.of(e.dimension()))
        .orElse(OptionalInt.empty());
  }

  /**
   * Approximate kNN over the image vectors of one model version, where a video scores with the best
   * of its own (mean) vector and its keyframes' vectors: {@link #knn} over the items' field and a
   * diversified kNN over the keyframes' field (one best keyframe per video), folded by media id.
   * Same arguments and order as {@link #knn}; an index without videos answers as {@link #knn}.
   */
  public List<Scored> imageKnn(
      ModelVersion model, float[] unit, int k, int efSearch, Query filter, float minCosine) {
    return queries.imageKnn(model, unit, k, efSearch, filter, minCosine);
  }

  /** A media id and the score one source gave it. */
  public record Scored(String mediaId, float score) {}

  /**
   * Approximate kNN (HNSW) over one vector field, restricted by a filter; cosine scores, best
   * first. Empty when the field does not exist.
   *
   * @param unit a unit-length query vector of the field's dimension
   * @param efSearch candidates explored (at least k); Lucene's {@code k} of the HNSW search
   * @param filter restricts the candidates; null for none (the benchmark)
   */
  public List<Scored> knn(
      String field, float[] unit, int k, int efSearch, Query filter, float minCosine) {
    return queries.knn(field, unit, k, efSearch, filter, minCosine);
  }

  /**
   * BM25 over captions, OCR text, object labels and metadata, restricted by a filter; best first.
   *
   * @param statistics statistics to score with instead of this index's own (a fan-out's sum over
   *     all shards); null for the index's own
   */
  public List<Scored> bm25(String text, int k, Query filter, Bm25Statistics statistics) {
    return queries.bm25(text, k, filter, statistics);
  }

  public List<Scored> bm25(String text, int k, Query filter) {
    return queries.bm25(text, k, filter, null);
  }

  /**
   * This index's BM25 statistics of the terms of a text query: what a fan-out sums over the shards.
   */
  public Bm25Statistics bm25Statistics(String text) {
    return queries.bm25Statistics(text);
  }

  /** Best first; equal scores by media id. */
  public static final Comparator<Scored> BY_SCORE_THEN_ID =
      Comparator.comparing(Scored::score).reversed().thenComparing(Scored::mediaId);

  /**
   * Number of live documents of media items (tombstones included, keyframe documents not) as of the
   * latest refresh.
   */
  public int documentCount() {
    return searchers.withSearcher(
        searcher -> searcher.getIndexReader().numDocs() - searcher.count(KeyframeBlocks.KEYFRAMES));
  }

  /** Number of live keyframe documents (the children of video items) as of the latest refresh. */
  public int keyframeCount() {
    return searchers.withSearcher(searcher -> searcher.count(KeyframeBlocks.KEYFRAMES));
  }

  /**
   * Makes everything written so far durable, in one Lucene commit together with the Kafka offsets
   * of exactly those writes and the model catalog. Tombstones older than the retention are purged
   * in the same commit.
   */
  public synchronized void commit() {
    if (!open || !commitData.uncommitted()) {
      return; // nothing new: do not write an empty commit point
    }
    Map<String, String> userData = commitData.userData();
    try {
      tombstones.run(writer, searchers);
      writer.setLiveCommitData(userData.entrySet());
      writer.commit();
      commitData.committed();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Merges the index into at most {@code maxSegments} segments and commits; blocks the caller until
   * done. For after a bulk load or a rebuild: every segment has its own HNSW graph, and a kNN query
   * searches each of them.
   *
   * <p>The merge itself runs outside the write/commit lock: Lucene's IndexWriter takes adds and
   * deletes during a forceMerge (they land in new segments), and at 1M vectors the merge takes
   * minutes, so writes, commits and searches go on meanwhile. Only the commit that follows it (of
   * the merged segments together with whatever was written meanwhile and its offsets) takes the
   * lock. A {@link #close()} during the merge aborts it.
   *
   * @throws IllegalStateException when the index is (or gets) closed before the merge is done
   */
  public void forceMerge(int maxSegments) {
    synchronized (this) {
      if (!open) {
        throw new IllegalStateException("index is closed");
      }
      forceMerges++; // under the lock: close() sees it, or this sees open == false
    }
    try {
      writer.forceMerge(maxSegments);
    } catch (IOException e) {
      if (!open) { // close() aborted it: Lucene reports the abort as a merge exception
        throw new IllegalStateException("index closed during the force-merge", e);
      }
      throw new UncheckedIOException(e);
    } catch (AlreadyClosedException e) {
      throw new IllegalStateException("index closed during the force-merge", e);
    } finally {
      synchronized (this) {
        forceMerges--;
      }
    }
    synchronized (this) {
      if (!open) {
        throw new IllegalStateException("index closed during the force-merge");
      }
      commitData.mergePending(false);
      searchers.written(); // same documents, fewer segments: search the merged ones
      commitData.changed(); // a new commit point even when no document changed
      commit();
    }
  }

  /**
   * Records in the index (with a commit) that a force-merge is due, or that it is no longer due: a
   * merge interrupted by a shutdown is then resumed by the next start. {@link #forceMerge} clears
   * it in the commit of the merged segments.
   */
  public synchronized void setMergePending(boolean pending) {
    if (pending != commitData.mergePending()) {
      commitData.mergePending(pending);
      commitData.changed(); // a new commit point for the flag alone
      commit();
    }
  }

  /** Whether the last commit says a force-merge is due (see {@link #setMergePending}). */
  public boolean mergePending() {
    return commitData.mergePending();
  }

  /** True while a {@link #forceMerge} runs. */
  public synchronized boolean forceMerging() {
    return forceMerges > 0;
  }

  /** Segments in the searched view of the index (each has its own HNSW graph). */
  public int segmentCount() {
    return searchers.withSearcher(searcher -> searcher.getIndexReader().leaves().size());
  }

  /** Tombstones purged (retention expired) since the index was opened. */
  public synchronized long tombstonesPurged() {
    return tombstones.purged();
  }

  /**
   * Empties the index, its model catalog and its stored offsets, and commits that: the consumer
   * then replays the topics from the beginning (rebuild from scratch).
   */
  public synchronized void clear() {
    try {
      writer.deleteAll();
      searchers.written();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    commitData.clear();
    commitData.changed();
    commit();
  }

  /** Next offset to read per "topic:partition", as applied so far (committed or not). */
  public Map<String, Long> appliedOffsets() {
    return commitData.appliedOffsets();
  }

  /**
   * Commits and releases the index (and its write lock). A running {@link #forceMerge} is aborted
   * rather than waited for: everything written is in the commit just made, and the next open
   * deletes the unfinished merge's files (see {@link #release}).
   */
  @Override
  public synchronized void close() throws IOException {
    if (!open) {
      return;
    }
    commit();
    release(forceMerges > 0);
  }

  /**
   * Releases the index WITHOUT committing, discarding every change since the last commit, as a
   * crash would (tests use it to check recovery).
   */
  public synchronized void abandon() throws IOException {
    if (!open) {
      return;
    }
    release(true);
  }

  /**
   * Closes the writer, with {@code rollback} within {@link #ABORT_WAIT} (see {@link
   * WriterRelease}).
   */
  private void release(boolean rollback) throws IOException {
    open = false;
    try {
      searchers.close();
    } finally {
      if (rollback) {
        WriterRelease.rollbackWithin(writer, directory, path, ABORT_WAIT);
      } else {
        WriterRelease.close(writer, directory);
      }
    }
  }

  /** Bytes of the index files on disk. */
  public long sizeOnDisk() throws IOException {
    long total = 0;
    for (String file : directory.listAll()) {
      if (!file.equals(IndexWriter.WRITE_LOCK_NAME)) {
        try {
          total += directory.fileLength(file);
        } catch (IOException | RuntimeException e) {
          // merged away meanwhile
        }
      }
    }
    return total;
  }

  /** Loads the last commit's user data; says which layout it was written in. */
  private CommitData.Layout loadCommitData() throws IOException {
    if (!DirectoryReader.indexExists(directory)) {
      return CommitData.Layout.CURRENT;
    }
    try (DirectoryReader reader = DirectoryReader.open(directory)) {
      return commitData.load(reader.getIndexCommit().getUserData(), reader.maxDoc() > 0);
    }
  }

  /**
   * Rewrites an index of an older layout into the current one, and commits it with the marker,
   * before any use. The item-key rewrite writes keyframe blocks already.
   */
  private synchronized void migrate(CommitData.Layout layout) throws IOException {
    if (layout == CommitData.Layout.BEFORE_ITEM_KEYS) {
      ItemKeyMigration.run(writer);
    } else {
      KeyframeBlockMigration.run(writer);
    }
    searchers.written();
    commitData.changed();
    commit();
  }
}
