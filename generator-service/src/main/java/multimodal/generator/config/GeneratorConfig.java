package multimodal.generator.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import multimodal.media.config.FetchSettings;
import multimodal.media.config.ImageSettings;
import multimodal.media.config.VideoSettings;
import multimodal.v1.Limits;
import multimodal.v1.ingest.ProducerTenants;

/** Settings of generator-service, under {@code generator.*}. */
@ConfigMapping(prefix = "generator")
public interface GeneratorConfig {

  /**
   * Captioning model used when a request or an ingest event names none; a key of {@link #models}.
   */
  @WithDefault("caption")
  String defaultCaptionModel();

  /** Question-answering model used by Ask when the request names none; a key of {@link #models}. */
  @WithDefault("vqa")
  String defaultVqaModel();

  /** Models served, by logical name: {@code generator.models.<name>.dir}, {@code ...layout}. */
  Map<String, Model> models();

  /** Most images in one Caption or Ocr request. */
  @WithDefault("16")
  int maxBatchSize();

  /** Generations running at once; more wait in the queue. */
  @WithDefault("2")
  int maxConcurrent();

  /** Generations allowed to wait; beyond that calls fail with RESOURCE_EXHAUSTED. */
  @WithDefault("32")
  int maxQueued();

  /** Longest a single generation may run when the caller sets no shorter deadline. */
  @WithDefault("120s")
  Duration generationTimeout();

  Decoder decoder();

  Images images();

  Ocr ocr();

  Ingest ingest();

  Enrichment enrichment();

  Fetch fetch();

  Ort ort();

  /**
   * Speech as text (consumer group generator-speech, media.transcript.v1): audio items decoded by
   * FFmpeg and transcribed by PocketSphinx (docs/adr/0017).
   */
  Speech speech();

  Vision vision();

  /**
   * Keyframes of video items for the caption consumer: {@code generator.video.*} ({@link
   * VideoSettings}: the same keys, defaults and meaning as {@code encoder.video.*}, so with equal
   * settings both services cut a video at the same times).
   */
  Video video();

  /** Text to image (gRPC Generate); off while {@code generator.diffusion.dir} is unset. */
  Diffusion diffusion();

  /**
   * Which tenants each producer of media.ingest.v1 may write, by CloudEvents source: {@code
   * generator.producers."/gateway".tenants=*}; both consumers (captions, vision) dead-letter the
   * rest with the reason. None = any producer may write any tenant (a local run; unsafe on a shared
   * cluster).
   */
  Map<String, ProducerTenants.Setting> producers();

  interface Model {
    /**
     * Model directory in the Hugging Face / transformers.js layout (onnx/*.onnx, tokenizer.json,
     * ...).
     */
    Path dir();

    /**
     * Export layout: {@code vit-gpt2} or {@code florence2} (captioning), {@code smolvlm} (question
     * answering).
     */
    @WithDefault("vit-gpt2")
    String layout();
  }

  interface Decoder {
    /**
     * ViT-GPT2 layout: split the merged decoder at load so that the cross-attention keys/values of
     * the image tokens are computed once per batch instead of on every step (the export caches
     * self-attention only). Off: the graph runs as exported.
     */
    @WithDefault("true")
    boolean cacheCrossAttention();
  }

  /**
   * {@code images.*}: the platform's image settings, the same in every service that decodes; the
   * defaults are the platform's limits ({@code multimodal.v1.Limits}, docs/security.md "Limits").
   */
  interface Images extends ImageSettings {}

  interface Video extends VideoSettings {}

  interface Ocr {
    /** Run Tesseract (needs Debian tesseract-ocr + tesseract-ocr-eng). */
    @WithDefault("true")
    boolean enabled();

    /** Folder with *.traineddata; unset: TESSDATA_PREFIX, then the distribution's folders. */
    Optional<Path> tessdata();

    @WithDefault("eng")
    String language();

    /**
     * Skip Tesseract on ingested images in which a cheap check ({@code TextPresence}: text-sized,
     * horizontally aligned dark-on-light or light-on-dark components) finds no text; their OCR text
     * is empty. Tesseract spends 50 to 900 ms per photograph finding nothing.
     */
    @WithDefault("true")
    boolean textCheck();
  }

  /** How the caption consumer shares the CPU with the embedding path on the same machine. */
  interface Enrichment {
    /**
     * OCR workers of the caption consumer (threads, each reusing one Tesseract engine); OCR runs on
     * them while the batch is captioned. 0 = half the cores, at least one.
     */
    @WithDefault("0")
    int concurrency();

    default int resolvedConcurrency() {
      return concurrency() > 0
          ? concurrency()
          : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }
  }

  interface Ingest {
    /** Most new tokens per caption for ingested media. */
    @WithDefault("20")
    int maxNewTokens();

    /** Run OCR on ingested media too (its text goes into media.caption.v1). */
    @WithDefault("true")
    boolean ocr();
  }

  /** {@code fetch.*}: the platform's fetch settings, plus how many fetches run at once. */
  interface Fetch extends FetchSettings {
    /**
     * {@code data.uri} sources of one Kafka batch fetched at once (results keep the batch order).
     */
    @WithDefault("8")
    int concurrency();
  }

  interface Ort {
    /** Threads inside one operator; 0 = as many as the JVM has processors. */
    @WithDefault("0")
    int intraOpThreads();

    /**
     * {@link #intraOpThreads()}, where 0 is the JVM's available processors, which follow a
     * container's CPU limit; ONNX Runtime's own default counts the physical cores it detects, which
     * ignores the limit and on a 2-vCPU AMD EPYC VM came to one.
     */
    default int intraOpThreadsToUse() {
      return intraOpThreads() > 0 ? intraOpThreads() : Runtime.getRuntime().availableProcessors();
    }

    /**
     * cpu, or cuda: ONNX Runtime's CUDA execution provider for every model of the generator
     * (captioning, VQA, detector, safety). Needs the onnxruntime_gpu build on CUDA 12 + cuDNN 9;
     * without them the generator runs on the CPU and logs why.
     */
    @WithDefault("cpu")
    String executionProvider();

    /** GPU used by the cuda execution provider (0: the only one a pod with one GPU sees). */
    @WithDefault("0")
    int cudaDevice();
  }

  interface Speech {
    /** Off: audio items wait in the generator-speech group (its channel stays paused). */
    @WithDefault("true")
    boolean enabled();

    /** Longest audio transcribed; longer audio is dead-lettered with the reason. */
    @WithDefault("600s")
    Duration maxDuration();

    /**
     * Largest audio file (or video, for its sound track) transcribed; a {@code data.uri} is fetched
     * to a scratch file under it, never into memory. The platform's audio and video limit ({@link
     * Limits#AUDIO_VIDEO_MAX_BYTES}, 512 MiB) by default; inline bytes stay within the image limit
     * (the Kafka record).
     */
    @WithDefault(Limits.AUDIO_VIDEO_MAX_BYTES_TEXT)
    long maxBytes();

    /** Longest FFmpeg may take to read one file's header, and again to decode it. */
    @WithDefault("60s")
    Duration decodeTimeout();

    /** Longest PocketSphinx may take on one clip (at least twice the clip's length). */
    @WithDefault("300s")
    Duration recognizeTimeout();

    @WithDefault("ffmpeg")
    String ffmpeg();

    @WithDefault("ffprobe")
    String ffprobe();

    @WithDefault("pocketsphinx_continuous")
    String pocketsphinx();

    /**
     * PocketSphinx's model folder: {@code en-us/}, {@code en-us.lm.bin}, {@code
     * cmudict-en-us.dict}.
     */
    @WithDefault("/usr/share/pocketsphinx/model/en-us")
    Path modelDir();

    /** Audio items decoded at once (each an FFmpeg process); recognition runs one at a time. */
    @WithDefault("1")
    int decodeConcurrency();

    /**
     * Which recogniser transcribes: {@code pocketsphinx} (Debian's, the default) or {@code whisper}
     * (a Whisper ONNX export in {@code generator.speech.whisper.dir}).
     */
    @WithDefault("pocketsphinx")
    String recognizer();

    Whisper whisper();
  }

  interface Whisper {
    /**
     * The export directory ({@code onnx/encoder_model.onnx}, {@code onnx/decoder_model_merged.onnx}
     * or {@code decoder_model.onnx}, {@code tokenizer.json}, the JSON configs), e.g. what {@code
     * scripts/fetch-models.sh whisper-tiny-en} writes.
     */
    Optional<Path> dir();

    /** Decode with the KV cache (off: recompute every step, only for comparison). */
    @WithDefault("true")
    boolean useCache();
  }

  /**
   * Object tags and safety scores (consumer group generator-vision, media.vision.v1, gRPC Analyze).
   * Off when disabled or when neither model directory is set.
   */
  interface Vision {
    @WithDefault("true")
    boolean enabled();

    Detector detector();

    Safety safety();

    /**
     * Objects scoring at or below this are left out. 0.3: @vladmandic/human's default is 0.2, but
     * on the shared photographs the 0.2-0.3 band holds this CenterNet's stray guesses; tags are
     * searchable, so fewer, surer ones are worth more.
     */
    @WithDefault("0.3")
    float minScore();

    /** Overlap at which the weaker of two boxes is dropped (human's iouThreshold). */
    @WithDefault("0.4")
    float iouThreshold();

    /**
     * Suppress overlapping boxes within a class only (on by default). The tags are for search: a
     * cup standing on a dining table shows both, while @vladmandic/human's class-agnostic {@code
     * tf.image.nonMaxSuppression} (off), meant for drawing one box per object, lets the cup's box
     * inside the table's remove the table. Per-class suppression is also how COCO detectors are
     * evaluated.
     */
    @WithDefault("true")
    boolean classAwareNms();

    /** Most objects per image (human's maxDetected). */
    @WithDefault("10")
    int maxObjects();

    /** Images per model run (detector and safety; graphs with batch 1 loop). */
    @WithDefault("8")
    int batchSize();

    /** Vision runs at once (consumer and Analyze together): bounds its share of the CPU. */
    @WithDefault("1")
    int threads();

    /**
     * Analyze calls running or waiting for the vision pool at once; one more is refused with
     * RESOURCE_EXHAUSTED instead of queueing behind the ingest consumer without end.
     */
    @WithDefault("16")
    int maxCalls();

    /** ONNX Runtime threads inside one vision operator. */
    @WithDefault("1")
    int intraOpThreads();

    interface Detector {
      /**
       * CenterNet directory from model-import (model.onnx, labels.txt, model.properties); unset: no
       * tags.
       */
      Optional<Path> dir();

      /**
       * Smaller square inputs the detector also runs at (multiples of 32 below the model's 512): an
       * image whose longer side fits one goes to the smallest that does, instead of being stretched
       * to 512 (a 64x64 thumbnail costs about a tenth of the CPU at 128). {@code 0}: the model's
       * own input only.
       */
      @WithDefault("128,256")
      List<Integer> smallInputs();
    }

    interface Safety {
      /** nsfwjs classifier directory from model-import; unset: no safety scores. */
      Optional<Path> dir();
    }
  }

  interface Diffusion {
    /**
     * A Stable-Diffusion-family ONNX export in the diffusers/Optimum layout ({@code
     * model_index.json}, {@code text_encoder/}, {@code unet/}, {@code vae_decoder/}, {@code
     * tokenizer/}, {@code scheduler/}); unset: Generate answers FAILED_PRECONDITION.
     */
    Optional<Path> dir();

    /**
     * Scheduler class used when a request names none (EulerDiscreteScheduler,
     * EulerAncestralDiscreteScheduler, DDIMScheduler, LCMScheduler); unset: the export's own {@code
     * scheduler/scheduler_config.json}.
     */
    Optional<String> scheduler();

    /** Denoising steps when a request names none (LCM/turbo exports want 4). */
    @WithDefault("25")
    int steps();

    /** Classifier-free guidance weight when a request names none. */
    @WithDefault("7.5")
    float guidanceScale();

    /** Image size when a request names none (SD 1.x: 512, SD 2.x: 768). */
    @WithDefault("512")
    int width();

    @WithDefault("512")
    int height();

    /** Run the guided and the unguided branch as one UNet batch (faster, twice the memory). */
    @WithDefault("true")
    boolean batchGuidance();

    /**
     * Candidates whose unsafe score (the vision safety classifier's, where one is configured) is at
     * least this are withheld, with the reason.
     */
    @WithDefault("0.5")
    float unsafeThreshold();
  }
}
