package multimodal.encoder.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import multimodal.media.config.FetchSettings;
import multimodal.media.config.ImageSettings;
import multimodal.media.config.VideoSettings;
import multimodal.v1.ingest.ProducerTenants;

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

  /** Keyframe extraction of video items: {@code encoder.video.*} ({@link VideoSettings}). */
  Video video();

  Fetch fetch();

  Ort ort();

  /**
   * Which tenants each producer of media.ingest.v1 may write, by CloudEvents source: {@code
   * encoder.producers."/gateway".tenants=*}; refused events go to the DLQ with the reason. None =
   * any producer may write any tenant (a local run; unsafe on a shared cluster).
   */
  Map<String, ProducerTenants.Setting> producers();

  interface Model {
    /**
     * Model directory: a CLIP export (transformers.js split, combined model.onnx, or Immich
     * textual/ + visual/), or a sentence-embedding model (one .onnx graph + tokenizer.json).
     */
    Path dir();

    /**
     * Version reported with every embedding; default: config.json's model_version, else the
     * directory name.
     */
    Optional<String> version();

    /** When true, a missing directory is skipped with a warning instead of stopping the service. */
    @WithDefault("false")
    boolean optional();

    /**
     * {@code fp32} (the graphs as exported) or {@code int8} (constant-weight MatMul/Gemm quantised
     * at load; about 3x faster on CPU, embeddings within cosine 0.99 of fp32 as measured).
     * application.properties sets int8 for clip; other models default to fp32.
     */
    @WithDefault("fp32")
    String precision();
  }

  /** Dynamic batching shared by gRPC and Kafka, per model and tower. */
  interface Batching {
    /** Most items in one session run. */
    @WithDefault("32")
    int maxBatchSize();

    /** Longest a first item waits for others before its batch runs. */
    @WithDefault("5ms")
    Duration maxDelay();

    /**
     * Image batches only: how much longer than {@code max-delay} a short batch waits while images
     * are still being decoded and preprocessed (they are on their way to it); 0: never waits.
     */
    @WithDefault("20ms")
    Duration fillWait();

    /** Items that may wait per model and tower; more is RESOURCE_EXHAUSTED. */
    @WithDefault("1024")
    int queueCapacity();

    /**
     * Batches run at once per model and tower. Two by default: on the CPU each then runs with half
     * the cores ({@code encoder.ort.intra-op-threads=0}), so one batch runs while the next is
     * formed, and neither waits for a thread the other's operators or the request threads took.
     */
    @WithDefault("2")
    int workers();

    /** Retry delay suggested to callers refused with RESOURCE_EXHAUSTED. */
    @WithDefault("1s")
    Duration retryAfter();
  }

  /**
   * {@code images.*}: the platform's image settings, the same in every service that decodes; the
   * defaults are the platform's limits ({@code multimodal.v1.Limits}, docs/security.md "Limits").
   */
  interface Video extends VideoSettings {}

  interface Images extends ImageSettings {
    /**
     * Images decoded and preprocessed at once, gRPC requests and Kafka records together; 0: one per
     * available processor.
     */
    @WithDefault("0")
    int preprocessConcurrency();

    /**
     * Times each of four generated images goes through decode + preprocess at start, before the
     * service reports ready, so the JIT has compiled the path before traffic comes; 0: no warm-up.
     */
    @WithDefault("15")
    int warmUpRounds();

    /**
     * Decode a JPEG whose short side is at least twice the model's resize target at 1/2, 1/4 or 1/8
     * of its size in libjpeg-turbo (DCT-domain scaling): a photograph decodes and resizes several
     * times faster, but the pixels are no longer Pillow's, so embeddings move slightly. Off by
     * default: exactness first.
     */
    @WithDefault("false")
    boolean jpegDctScaling();
  }

  /** {@code fetch.*}: the platform's fetch settings, plus how many fetches run at once. */
  interface Fetch extends FetchSettings {
    /** Records of one Kafka batch decoded, fetched and preprocessed at the same time. */
    @WithDefault("8")
    int concurrency();
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
