package multimodal.retrieval.index;

import static multimodal.retrieval.index.IndexFields.*;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import multimodal.retrieval.ItemKey;
import multimodal.retrieval.ModelVersion;
import multimodal.retrieval.SourceOffset;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene104.Lucene104Codec;
import org.apache.lucene.codecs.lucene104.Lucene104HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.CollectionStatistics;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TermStatistics;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.QueryBuilder;
import org.apache.lucene.util.quantization.QuantizedByteVectorValues;
import org.jboss.logging.Logger;

/**
 * The persistent media index: one Lucene document per media id, with an HNSW field per image
 * model version, a sentence-vector field per text model version and BM25 text fields; near-
 * real-time search through a {@link SearcherManager}.
 *
 * <p>Exactly-once materialisation: {@link #write} takes the Kafka positions of the records whose
 * changes it holds, and {@link #commit()} stores those positions in the same Lucene commit as the
 * documents (user data {@code offset:<topic>:<partition>} = next offset to read). Writes and
 * commits are serialised, so a commit holds exactly the changes up to the offsets it records; a
 * consumer that seeks to {@link #appliedOffsets()} after a crash neither loses nor re-applies a
 * record. Thread-safe.
 */
public final class LuceneMediaIndex implements Closeable {
  /** Largest dimension the default Lucene codec accepts. */
  public static final int MAX_DIMENSION = KnnVectorsFormat.DEFAULT_MAX_DIMENSIONS;

  private static final String OFFSET_PREFIX = "offset:";
  private static final String MERGE_PENDING = "merge-pending";
  /**
   * Commit user data naming the document layout. "2": one document per (tenant, media id), keyed by
   * {@link IndexFields#ITEM_KEY}. Absent: the layout before, one per media id ({@link ItemKeyMigration}).
   */
  static final String SCHEMA = "schema";
  static final String SCHEMA_VERSION = "2";
  private static final Logger LOG = Logger.getLogger(LuceneMediaIndex.class);
  /** How long closing waits for an aborted force-merge to stop (Kubernetes kills after 30 s by default). */
  static final Duration ABORT_WAIT = Duration.ofSeconds(10);

  private final Path path;
  private final Directory directory;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final Analyzer analyzer;
  private final ModelCatalog catalog = new ModelCatalog();
  private final Duration tombstoneRetention;
  private final Map<String, Long> appliedOffsets = new ConcurrentHashMap<>();
  private long changes;
  private long committedChanges;
  // Writes made, and writes the searcher has seen: a search refreshes only when they differ, so
  // concurrent searches do not queue on the refresh lock (and the writer) when nothing changed.
  private final AtomicLong writes = new AtomicLong();
  private final AtomicLong refreshedWrites = new AtomicLong();
  private long tombstonesPurged;
  private int forceMerges;
  private volatile boolean mergePending;
  private volatile boolean open;

  private LuceneMediaIndex(Path path, Directory directory, IndexWriter writer, Analyzer analyzer, Duration tombstoneRetention)
      throws IOException {
    this.path = path;
    this.directory = directory;
    this.writer = writer;
    this.analyzer = analyzer;
    this.tombstoneRetention = tombstoneRetention;
    this.searchers = new SearcherManager(writer, new SearcherFactory());
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
  public record Settings(int m, int efConstruction, boolean int8, double ramBufferMb, Duration tombstoneRetention) {
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
    IndexWriterConfig config = new IndexWriterConfig(new StandardAnalyzer());
    KnnVectorsFormat vectors =
        settings.int8()
            ? new Lucene104HnswScalarQuantizedVectorsFormat(
                QuantizedByteVectorValues.ScalarEncoding.UNSIGNED_BYTE, settings.m(), settings.efConstruction())
            : new Lucene99HnswVectorsFormat(settings.m(), settings.efConstruction());
    config.setCodec(
        new Lucene104Codec() {
          @Override
          public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
            return vectors;
          }
        });
    config.setRAMBufferSizeMB(settings.ramBufferMb());
    // Separate files (not a compound file) so the vector and graph files can be measured and mmapped alone.
    config.setUseCompoundFile(false);
    return open(dir, config, settings.tombstoneRetention());
  }

  private static LuceneMediaIndex open(Path dir, IndexWriterConfig config, Duration tombstoneRetention) throws IOException {
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
    LuceneMediaIndex index = new LuceneMediaIndex(dir, directory, writer, config.getAnalyzer(), tombstoneRetention);
    boolean oldLayout = index.loadCommitData();
    index.open = true;
    if (oldLayout) {
      try {
        index.migrateToItemKeys();
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
   * The tenant's current live items of these media ids (including uncommitted writes), by media
   * id; unknown and deleted ids, and other tenants' items with the same ids, are left out.
   */
  public Map<String, MediaItem> items(String tenant, Collection<String> mediaIds) {
    Map<String, MediaItem> items = new LinkedHashMap<>();
    itemsAndTombstones(mediaIds.stream().map(id -> new ItemKey(tenant, id)).toList())
        .forEach((key, item) -> {
          if (!item.deleted()) {
            items.put(key.mediaId(), item);
          }
        });
    return items;
  }

  /** These items by key, tombstones ({@link MediaItem#deleted()}) included; unknown keys left out. */
  public Map<ItemKey, MediaItem> itemsAndTombstones(Collection<ItemKey> keys) {
    return withSearcher(
        searcher -> {
          Map<ItemKey, MediaItem> items = new LinkedHashMap<>();
          StoredFields stored = searcher.storedFields();
          for (ItemKey key : keys) {
            TopDocs top = searcher.search(new TermQuery(new Term(ITEM_KEY, key.term())), 1);
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
   * Checks that a vector fits the field of its model version (dimension fixed by the first
   * vector seen).
   *
   * @throws IllegalArgumentException naming the mismatch
   */
  public void checkDimension(boolean image, ModelVersion model, int dimension) {
    if (dimension > MAX_DIMENSION) {
      throw new IllegalArgumentException("dimension " + dimension + " exceeds the index maximum " + MAX_DIMENSION);
    }
    catalog
        .get(image ? ModelCatalog.Kind.IMAGE : ModelCatalog.Kind.TEXT, model)
        .filter(known -> known.dimension() != dimension)
        .ifPresent(
            known -> {
              throw new IllegalArgumentException(
                  "model %s has dimension %d in the index, got %d".formatted(model, known.dimension(), dimension));
            });
  }

  /**
   * Writes the new state of some items and removes others, and remembers the Kafka records they
   * came from. Durable at the next {@link #commit()}.
   */
  public synchronized void write(
      Collection<MediaItem> upserts, Collection<ItemKey> deletes, Collection<SourceOffset> sources) {
    if (!open) {
      throw new IllegalStateException("index is closed");
    }
    try {
      for (ItemKey key : deletes) {
        writer.deleteDocuments(new Term(ITEM_KEY, key.term()));
        writes.incrementAndGet();
      }
      for (MediaItem item : upserts) {
        for (MediaItem.StoredVector v : item.imageVectors().values()) {
          checkDimension(true, v.model(), v.vector().length);
        }
        if (item.textVector() != null) {
          checkDimension(false, item.textVector().model(), item.textVector().vector().length);
        }
        writer.updateDocument(new Term(ITEM_KEY, item.key().term()), MediaDocuments.toDocument(item));
        writes.incrementAndGet();
        for (MediaItem.StoredVector v : item.imageVectors().values()) {
          catalog.record(ModelCatalog.Kind.IMAGE, v.model(), v.vector().length, MediaDocuments.micros(v.at()));
        }
        if (item.textVector() != null) {
          MediaItem.StoredVector t = item.textVector();
          catalog.record(ModelCatalog.Kind.TEXT, t.model(), t.vector().length, MediaDocuments.micros(t.at()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (SourceOffset source : sources) {
      appliedOffsets.merge(
          OFFSET_PREFIX + source.topic() + ":" + source.partition(), source.offset() + 1, Math::max);
    }
    changes++;
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
    return catalog.get(ModelCatalog.Kind.IMAGE, model).map(e -> OptionalInt.of(e.dimension())).orElse(OptionalInt.empty());
  }

  public OptionalInt textDimension(ModelVersion model) {
    return catalog.get(ModelCatalog.Kind.TEXT, model).map(e -> OptionalInt.of(e.dimension())).orElse(OptionalInt.empty());
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
  public List<Scored> knn(String field, float[] unit, int k, int efSearch, Query filter, float minCosine) {
    return withSearcher(
        searcher -> {
          int candidates = Math.max(k, efSearch);
          KnnFloatVectorQuery knn =
              filter == null
                  ? new KnnFloatVectorQuery(field, unit, candidates)
                  : new KnnFloatVectorQuery(field, unit, candidates, filter);
          Query scored = QuantizedRescoring.rescoredIfQuantized(searcher, field, unit, knn, candidates);
          TopDocs found = searcher.search(scored, candidates);
          List<Scored> hits = new ArrayList<>();
          for (Scored hit : top(searcher, found, k)) {
            float cosine = Vectors.cosineFromDotProductScore(hit.score());
            if (cosine < minCosine) {
              break; // best first
            }
            hits.add(new Scored(hit.mediaId(), cosine));
          }
          return hits;
        });
  }

  /**
   * BM25 over captions, OCR text, object labels and metadata, restricted by a filter; best first.
   *
   * @param statistics statistics to score with instead of this index's own (a fan-out's sum
   *     over all shards); null for the index's own
   */
  public List<Scored> bm25(String text, int k, Query filter, Bm25Statistics statistics) {
    Query anyField = bm25Query(text);
    if (anyField == null) {
      return List.of(); // only stop words or punctuation
    }
    Query query =
        new BooleanQuery.Builder()
            .add(anyField, BooleanClause.Occur.MUST)
            .add(filter, BooleanClause.Occur.FILTER)
            .build();
    return withSearcher(
        local -> {
          IndexSearcher searcher = statistics == null ? local : new GlobalStatisticsSearcher(local, statistics);
          // One more than k tells whether the k-th score ties with the next; widen until it does not.
          int n = k + 1;
          TopDocs top = searcher.search(query, n);
          while (top.scoreDocs.length == n && top.scoreDocs[n - 1].score == top.scoreDocs[k - 1].score) {
            n = Math.min(2 * n, Math.max(searcher.getIndexReader().maxDoc(), k + 1));
            if (n <= top.scoreDocs.length) {
              break;
            }
            top = searcher.search(query, n);
          }
          return top(searcher, top, k);
        });
  }

  public List<Scored> bm25(String text, int k, Query filter) {
    return bm25(text, k, filter, null);
  }

  /**
   * This index's BM25 statistics of the terms of a text query: what a fan-out sums over the
   * shards. Whole-index figures (the filter does not change BM25 statistics on one index either).
   */
  public Bm25Statistics bm25Statistics(String text) {
    Query anyField = bm25Query(text);
    if (anyField == null) {
      return Bm25Statistics.EMPTY;
    }
    Set<Term> terms = new LinkedHashSet<>();
    anyField.visit(QueryVisitor.termCollector(terms));
    return withSearcher(
        searcher -> {
          IndexReader reader = searcher.getIndexReader();
          Map<String, CollectionStatistics> fields = new LinkedHashMap<>();
          Map<Term, TermStatistics> termStatistics = new LinkedHashMap<>();
          for (Term term : terms) {
            int docCount = reader.getDocCount(term.field());
            if (docCount > 0 && !fields.containsKey(term.field())) {
              fields.put(
                  term.field(),
                  new CollectionStatistics(
                      term.field(), reader.maxDoc(), docCount, reader.getSumTotalTermFreq(term.field()), reader.getSumDocFreq(term.field())));
            }
            int docFreq = reader.docFreq(term);
            if (docFreq > 0) {
              termStatistics.put(term, new TermStatistics(term.bytes(), docFreq, reader.totalTermFreq(term)));
            }
          }
          return new Bm25Statistics(fields, termStatistics);
        });
  }

  /** The analysed text query over caption, OCR text, object labels and metadata; null when nothing is left. */
  private Query bm25Query(String text) {
    QueryBuilder builder = new QueryBuilder(analyzer);
    BooleanQuery.Builder anyField = new BooleanQuery.Builder();
    boolean any = false;
    for (String field : List.of(CAPTION, OCR_TEXT, OBJECTS_TEXT, METADATA_TEXT)) {
      Query q = builder.createBooleanQuery(field, text, BooleanClause.Occur.SHOULD);
      if (q != null) {
        anyField.add(q, BooleanClause.Occur.SHOULD);
        any = true;
      }
    }
    return any ? anyField.build() : null;
  }

  /**
   * The best k of some top docs, ordered by score and then media id (not by Lucene's doc id), so
   * equal scores come in the same order on one index and over shards. Reads the ids of the first
   * k docs and of those beyond k that tie with the k-th.
   */
  private static List<Scored> top(IndexSearcher searcher, TopDocs top, int k) throws IOException {
    int count = 0;
    while (count < top.scoreDocs.length && (count < k || top.scoreDocs[count].score == top.scoreDocs[k - 1].score)) {
      count++;
    }
    String[] ids = MediaIds.of(searcher.getIndexReader(), top.scoreDocs, count);
    List<Scored> hits = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      hits.add(new Scored(ids[i], top.scoreDocs[i].score));
    }
    hits.sort(BY_SCORE_THEN_ID);
    return hits.size() > k ? new ArrayList<>(hits.subList(0, k)) : hits;
  }

  /** Best first; equal scores by media id. */
  public static final Comparator<Scored> BY_SCORE_THEN_ID =
      Comparator.comparing(Scored::score).reversed().thenComparing(Scored::mediaId);

  /** Scores with given (summed) BM25 statistics where it has them, else with its own. */
  private static final class GlobalStatisticsSearcher extends IndexSearcher {
    private final Bm25Statistics statistics;

    GlobalStatisticsSearcher(IndexSearcher local, Bm25Statistics statistics) {
      super(local.getIndexReader());
      setSimilarity(local.getSimilarity());
      setQueryCache(null);
      this.statistics = statistics;
    }

    @Override
    public TermStatistics termStatistics(Term term, int docFreq, long totalTermFreq) throws IOException {
      TermStatistics global = statistics.terms().get(term);
      return global != null ? global : super.termStatistics(term, docFreq, totalTermFreq);
    }

    @Override
    public CollectionStatistics collectionStatistics(String field) throws IOException {
      CollectionStatistics global = statistics.fields().get(field);
      return global != null ? global : super.collectionStatistics(field);
    }
  }

  /** Number of live documents (media items) as of the latest refresh. */
  public int documentCount() {
    return withSearcher(searcher -> searcher.getIndexReader().numDocs());
  }

  /**
   * Makes everything written so far durable, in one Lucene commit together with the Kafka offsets
   * of exactly those writes and the model catalog. Tombstones older than the retention are purged
   * in the same commit.
   */
  public synchronized void commit() {
    if (!open || changes == committedChanges) {
      return; // nothing new: do not write an empty commit point
    }
    Map<String, String> userData = new HashMap<>(catalog.toUserData());
    userData.put(SCHEMA, SCHEMA_VERSION);
    appliedOffsets.forEach((k, v) -> userData.put(k, Long.toString(v)));
    if (mergePending) {
      userData.put(MERGE_PENDING, "true");
    }
    try {
      purgeExpiredTombstones();
      writer.setLiveCommitData(userData.entrySet());
      writer.commit();
      committedChanges = changes;
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
      mergePending = false;
      writes.incrementAndGet(); // same documents, fewer segments: search the merged ones
      changes++; // a new commit point even when no document changed
      commit();
    }
  }

  /**
   * Records in the index (with a commit) that a force-merge is due, or that it is no longer due:
   * a merge interrupted by a shutdown is then resumed by the next start. {@link #forceMerge} clears
   * it in the commit of the merged segments.
   */
  public synchronized void setMergePending(boolean pending) {
    if (pending != mergePending) {
      mergePending = pending;
      changes++; // a new commit point for the flag alone
      commit();
    }
  }

  /** Whether the last commit says a force-merge is due (see {@link #setMergePending}). */
  public boolean mergePending() {
    return mergePending;
  }

  /** True while a {@link #forceMerge} runs. */
  public synchronized boolean forceMerging() {
    return forceMerges > 0;
  }

  /** Segments in the searched view of the index (each has its own HNSW graph). */
  public int segmentCount() {
    return withSearcher(searcher -> searcher.getIndexReader().leaves().size());
  }

  /**
   * Deletes the tombstones of items deleted longer than the retention ago. Tombstones written
   * before deletion times were recorded have none and are kept.
   */
  private void purgeExpiredTombstones() throws IOException {
    if (tombstoneRetention == null) {
      return;
    }
    long before = MediaDocuments.micros(Instant.now().minus(tombstoneRetention));
    Query expired = LongPoint.newRangeQuery(DELETED_AT, Long.MIN_VALUE, before - 1);
    int count = withSearcher(searcher -> searcher.count(expired));
    if (count > 0) {
      writer.deleteDocuments(expired);
      writes.incrementAndGet();
      tombstonesPurged += count;
    }
  }

  /** Tombstones purged (retention expired) since the index was opened. */
  public synchronized long tombstonesPurged() {
    return tombstonesPurged;
  }

  /**
   * Empties the index, its model catalog and its stored offsets, and commits that: the consumer
   * then replays the topics from the beginning (rebuild from scratch).
   */
  public synchronized void clear() {
    try {
      writer.deleteAll();
      writes.incrementAndGet();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    catalog.clear();
    appliedOffsets.clear();
    changes++;
    commit();
  }

  /** Next offset to read per "topic:partition", as applied so far (committed or not). */
  public Map<String, Long> appliedOffsets() {
    Map<String, Long> result = new HashMap<>();
    appliedOffsets.forEach((k, v) -> result.put(k.substring(OFFSET_PREFIX.length()), v));
    return result;
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
   * Closes the writer: {@code IndexWriter.close()} (which waits for running merges and commits
   * what they finished), or with {@code rollback} {@code IndexWriter.rollback()}, which drops
   * uncommitted changes and aborts running merges. Lucene 10.6 checks a merge's abort flag before
   * each node a graph build inserts (apache/lucene#16368), but a graph join's initialisation and
   * repair still run unchecked (apache/lucene#16620, after 10.6), so a rollback can still wait
   * minutes for a big merge: it gets {@link #ABORT_WAIT}, then the process goes on without it (the
   * last commit holds everything; the merge's files are never committed).
   */
  private void release(boolean rollback) throws IOException {
    open = false;
    try {
      searchers.close();
    } finally {
      if (!rollback) {
        try {
          writer.close();
        } finally {
          directory.close();
        }
      } else {
        rollbackWithin(ABORT_WAIT);
      }
    }
  }

  private void rollbackWithin(Duration wait) throws IOException {
    CompletableFuture<Void> done =
        CompletableFuture.runAsync(
            () -> {
              try {
                try {
                  writer.rollback();
                } finally {
                  directory.close();
                }
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            runnable -> {
              Thread t = new Thread(runnable, "index-rollback");
              t.setDaemon(true);
              t.start();
            });
    try {
      done.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.warnf(
          "index %s: a force-merge is still building its HNSW graph after %d s; not waiting for it (the last commit is intact)",
          path, wait.toSeconds());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof UncheckedIOException u ? u.getCause() : new IOException(e.getCause());
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

  private interface SearcherFunction<T> {
    T apply(IndexSearcher searcher) throws IOException;
  }

  private <T> T withSearcher(SearcherFunction<T> work) {
    if (!open) {
      throw new IllegalStateException("index is closed");
    }
    try {
      // Read-your-writes: refresh when a write happened since the last refresh.
      long seen = writes.get();
      if (refreshedWrites.get() < seen) {
        searchers.maybeRefreshBlocking();
        refreshedWrites.accumulateAndGet(seen, Math::max);
      }
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

  /** Loads the last commit's user data; true when it was written in the layout before {@link #SCHEMA_VERSION}. */
  private boolean loadCommitData() throws IOException {
    if (!DirectoryReader.indexExists(directory)) {
      return false;
    }
    try (DirectoryReader reader = DirectoryReader.open(directory)) {
      Map<String, String> userData = reader.getIndexCommit().getUserData();
      boolean oldLayout = !SCHEMA_VERSION.equals(userData.get(SCHEMA)) && reader.maxDoc() > 0;
      catalog.load(userData);
      mergePending = Boolean.parseBoolean(userData.get(MERGE_PENDING));
      userData.forEach(
          (k, v) -> {
            if (k.startsWith(OFFSET_PREFIX)) {
              appliedOffsets.put(k, Long.parseLong(v));
            }
          });
      return oldLayout;
    }
  }

  /** Rewrites an index of the layout before item keys, and commits it with the marker, before any use. */
  private synchronized void migrateToItemKeys() throws IOException {
    ItemKeyMigration.run(writer);
    writes.incrementAndGet();
    changes++;
    commit();
  }
}
