package multimodal.encoder.config;

import io.smallrye.config.ConfigMapping;
import multimodal.v1.ingest.ProducerTenants;
import io.smallrye.config.WithDefault;
import multimodal.v1.Limits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Settings of encoder-service, under {@code encoder.*}. */
@ConfigMapping(prefix = "encoder")
public interface EncoderConfig {

  /** Model used when a request or an ingest event names none; must be a key of {@link #models}. */
  @WithDefault("clip")
  String defaultModel();

  /** Models served, by logical name: {@code encoder.models.<name>.dir}, {@code ...version}. */
  Map<String, Model> models();

  /** Largest number of texts or images in one gRPC request. */
  @WithDefault("64")
  int maxBatchSize();

  Batching batching();

  Images images();

  Fetch fetch();

  Ort ort();

  /**
   * Which tenants each producer of media.ingest.v1 may write, by CloudEvents source:
   * {@code encoder.producers."/gateway".tenants=*}; refused events go to the DLQ with the reason.
   * None = any producer may write any tenant (a local run; unsafe on a shared cluster).
   */
  Map<String, ProducerTenants.Setting> producers();

  interface Model {
    /**
     * Model directory: a CLIP export (transformers.js split, combined model.onnx, or Immich
     * textual/ + visual/), or a sentence-embedding model (one .onnx graph + tokenizer.json).
     */
    Path dir();

    /** Version reported with every embedding; default: config.json's model_version, else the directory name. */
    Optional<String> version();

    /** When true, a missing directory is skipped with a warning instead of stopping the service. */
    @WithDefault("false")
    boolean optional();
  }

  /** Dynamic batching shared by gRPC and Kafka, per model and tower. */
  interface Batching {
    /** Most items in one session run. */
    @WithDefault("32")
    int maxBatchSize();

    /** Longest a first item waits for others before its batch runs. */
    @WithDefault("5ms")
    Duration maxDelay();

    /** Items that may wait per model and tower; more is RESOURCE_EXHAUSTED. */
    @WithDefault("1024")
    int queueCapacity();

    /** Threads running batches per model and tower. */
    @WithDefault("1")
    int workers();

    /** Retry delay suggested to callers refused with RESOURCE_EXHAUSTED. */
    @WithDefault("1s")
    Duration retryAfter();
  }

  /** Defaults: the platform's limits ({@code multimodal.v1.Limits}); see docs/security.md "Limits". */
  interface Images {
    /** Largest encoded image accepted, inline or fetched. */
    @WithDefault(Limits.IMAGE_MAX_BYTES_TEXT)
    long maxBytes();

    /** Largest width x height accepted, checked before decoding (decompression bombs). */
    @WithDefault(Limits.IMAGE_MAX_PIXELS_TEXT)
    long maxPixels();

    /**
     * Embed a truncated image (its missing part filled with grey) instead of dead-lettering it;
     * off by default, as in Pillow.
     */
    @WithDefault("false")
    boolean allowTruncated();
  }

  interface Fetch {
    @WithDefault("5s")
    Duration connectTimeout();

    /** Timeout of each read and of the whole download. */
    @WithDefault("30s")
    Duration readTimeout();

    /** Allow fetching from loopback/private/link-local addresses (local demo only: SSRF). */
    @WithDefault("false")
    boolean allowPrivateAddresses();

    /** The only folder file: URIs may read; unset disables file: URIs. */
    Optional<Path> fileRoot();

    @WithDefault("3")
    int maxRedirects();

    /** Attempts for a fetch that fails transiently (timeouts, 5xx) before giving up. */
    @WithDefault("3")
    int attempts();

    /** Wait before the second attempt; doubled before each next one, with ±50% jitter. */
    @WithDefault("250ms")
    Duration retryBackoff();

    /** Records of one Kafka batch decoded, fetched and preprocessed at the same time. */
    @WithDefault("8")
    int concurrency();

    /**
     * The gateway's claim-check URL prefix ({@code <gateway.blobs.base-url>/internal/blobs/}): URIs
     * under it may be on a private address. They are fetched as given, with no credential: the
     * gateway signed each one for one tenant and blob.
     */
    Optional<String> internalPrefix();
  }

  interface Ort {
    /** Threads inside one operator; 0 = ONNX Runtime's default (all cores). */
    @WithDefault("0")
    int intraOpThreads();

    @WithDefault("1")
    int interOpThreads();

    /** Graph optimisation level: all, extended, basic, none. */
    @WithDefault("all")
    String optimizationLevel();

    /** cpu, or cuda (needs the onnxruntime_gpu build; falls back to CPU with a warning). */
    @WithDefault("cpu")
    String executionProvider();

    /** GPU used by the cuda execution provider. */
    @WithDefault("0")
    int cudaDevice();

    /**
     * Whether idle intra-op threads busy-wait for work (ONNX Runtime's default). Off (the service
     * default) leaves the cores to the request threads that decode and preprocess images between
     * batches: on 16 cores gRPC throughput with 32 clients rose from 63 to 77 images/s.
     */
    @WithDefault("false")
    boolean allowSpinning();
  }
}
