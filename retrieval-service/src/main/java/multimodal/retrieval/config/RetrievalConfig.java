package multimodal.retrieval.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import multimodal.v1.ingest.ProducerTenants;

/** Knobs of the retrieval service ({@code retrieval.*}). */
@ConfigMapping(prefix = "retrieval")
public interface RetrievalConfig {
  Index index();

  Search search();

  Encoder encoder();

  Consumer consumer();

  Shard shard();

  Clip clip();

  Safety safety();

  /**
   * Which tenants each producer of media.ingest.v1 may write, by CloudEvents source: {@code
   * retrieval.producers."/gateway".tenants=*}. None configured = any producer may write any tenant
   * (a local single-tenant run; unsafe on a shared cluster). See {@link
   * multimodal.v1.ingest.ProducerTenants} and docs/security.md.
   */
  Map<String, ProducerTenants.Setting> producers();

  interface Index {
    /** Directory of the Lucene index; created when missing. One process per directory. */
    @WithDefault(".local/data/retrieval-index")
    String dir();

    /** Least time between index commits (each commit also stores the applied Kafka offsets). */
    @WithDefault("2s")
    Duration commitInterval();

    /**
     * Rebuild from scratch: at start, empty the index (documents and stored offsets) so the
     * consumer replays the topics from the beginning. Set it for one start, then unset it.
     */
    @WithDefault("false")
    boolean rebuild();

    /**
     * After a replay from the beginning (a rebuild, or an index without stored offsets) has caught
     * up with the end offsets its partitions had at start, force-merge the index to this many
     * segments, once, on a background thread: a replay leaves many segments, and each has its own
     * HNSW graph that every kNN query searches. Records keep being applied and searches keep
     * running meanwhile. 0 = off.
     */
    @WithDefault("1")
    int mergeAfterReplaySegments();

    /**
     * Synthetic items indexed and searched on a scratch index at start, before consuming, so the
     * JIT has compiled Lucene's vector code before the first real events (the real index is not
     * touched). 0 = off.
     */
    @WithDefault("400")
    int warmUpItems();

    /** HNSW max connections per node (M). */
    @WithDefault("16")
    int hnswM();

    /** HNSW candidates while building (efConstruction; Lucene's beam width). */
    @WithDefault("100")
    int hnswEfConstruction();

    /**
     * Vector storage for the graph search: float32, or int8 (scalar quantisation, ~4x less memory).
     */
    @WithDefault("float32")
    String vectorEncoding();

    /**
     * How long the tombstone of a deleted item is kept. It stops late embeddings and captions
     * (other topics are not ordered with media.ingest.v1) from resurrecting the item; tombstones
     * older than this (by the delete record's timestamp) are purged at the next commit. Set it
     * above the longest lag between the topics.
     */
    @WithDefault("7d")
    Duration tombstoneRetention();
  }

  interface Search {
    /**
     * Image model name searched when a request names none; its newest indexed version is used. When
     * no vector of this name exists, the newest version of any name is used.
     */
    @WithDefault("clip")
    String defaultModel();

    /** Results returned when a request asks for k = 0. */
    @WithDefault("10")
    int defaultK();

    /** Largest k a request may ask for. */
    @WithDefault("1000")
    int maxK();

    /** Deepest result a page token may reach (offset + k). */
    @WithDefault("10000")
    int maxDepth();

    /** Tenant used when a request or event names none (same as media.ingest.v1's default). */
    @WithDefault("default")
    String defaultTenant();

    /** The k constant of reciprocal-rank fusion: score = sum of weight / (rrf-k + rank). */
    @WithDefault("60")
    int rrfK();

    /** HNSW candidates explored per query (at least k); higher = better recall, slower. */
    @WithDefault("100")
    int efSearch();
  }

  interface Encoder {
    /** Deadline of one EncoderService call. */
    @WithDefault("5s")
    Duration timeout();

    /**
     * Sentence model (EncoderService model name) that embeds caption, OCR and metadata text at
     * index time and text queries at search time; empty turns dense text search off.
     */
    @WithDefault("minilm")
    String textModel();
  }

  interface Consumer {
    /** Materialise the topics into the index (off for tests that seed the index directly). */
    @WithDefault("true")
    boolean enabled();

    /** Largest batch applied (and committed) at once. */
    @WithDefault("500")
    int maxPollRecords();

    /** First wait before retrying an unreachable encoder at index time (doubles up to 10 s). */
    @WithDefault("1s")
    Duration encoderRetry();
  }

  interface Shard {
    /**
     * This replica's shard: it consumes the partitions p with p mod count = index. Unset: the
     * ordinal at the end of the host name (a StatefulSet pod's), or 0 with one shard ({@link
     * ShardOrdinal}).
     */
    Optional<Integer> index();

    /** Number of shards. */
    @WithDefault("1")
    int count();

    /**
     * host:port of every shard's gRPC endpoint (this one included), in shard order. When set,
     * Search and GetMedia without shard_local fan out to all of them and merge, and RankTexts,
     * Classify and Rerank read the items they score from all of them; empty = answer locally.
     */
    Optional<List<String>> peers();

    /** Deadline of one fan-out call to a shard. */
    @WithDefault("5s")
    Duration timeout();
  }

  interface Clip {
    /** CLIP's logit scale (exp of the learned temperature; 100 for OpenAI's models). */
    @WithDefault("100")
    double logitScale();

    /** Per model name overrides of the logit scale. */
    Map<String, Double> logitScales();
  }

  interface Safety {
    /**
     * Safe search (SearchFilter.safe) drops items whose unsafe score (the safety classifier's
     * unsafe classes summed) is above this, when the request gives no threshold. In (0, 1].
     */
    @WithDefault("0.5")
    double unsafeThreshold();
  }
}
