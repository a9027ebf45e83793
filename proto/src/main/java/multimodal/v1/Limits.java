package multimodal.v1;

/**
 * The platform's byte and pixel limits, defined once. Each service's configuration defaults to
 * these (gateway uploads, the workers' image limits, thumbnails, the ingest codec's JSON parser,
 * the Kafka producers), so an image the gateway accepts is one every consumer can read: nothing is
 * 202-accepted at the door and then dead-lettered for its size. docs/security.md ("Limits") has the
 * table; {@code LimitsAgreementTest} (gateway) fails when a service's settings disagree with it.
 *
 * <p>The {@code *_TEXT} twins are compile-time constants for configuration defaults
 * ({@code @WithDefault} takes a string).
 */
public final class Limits {
  /**
   * Largest encoded image anywhere: an upload, inline {@code data.bytes}, a fetched URI, a gRPC
   * image.
   */
  public static final long IMAGE_MAX_BYTES = 16L * 1024 * 1024;

  public static final String IMAGE_MAX_BYTES_TEXT = "" + IMAGE_MAX_BYTES;

  /**
   * Largest audio or video file (an upload, a fetched URI): 512 MiB, ten minutes (the platform's
   * longest video and audio, {@code *.video.max-duration}, {@code generator.speech.max-duration})
   * at about 7 Mbit/s, which holds a phone's 720p or a moderate 1080p recording. Such files travel
   * only as a claim check and are fetched to a scratch file, never into memory; inline bytes stay
   * within {@link #IMAGE_MAX_BYTES} (the Kafka record limit), and so does the gRPC {@code
   * IngestMedia}.
   */
  public static final long AUDIO_VIDEO_MAX_BYTES = 512L * 1024 * 1024;

  public static final String AUDIO_VIDEO_MAX_BYTES_TEXT = "" + AUDIO_VIDEO_MAX_BYTES;

  /** Largest width × height decoded anywhere (decompression bombs), checked from the header. */
  public static final long IMAGE_MAX_PIXELS = 40_000_000L;

  public static final String IMAGE_MAX_PIXELS_TEXT = "" + IMAGE_MAX_PIXELS;

  /** Base64 characters of the largest inline image: {@code 4 * ceil(IMAGE_MAX_BYTES / 3)}. */
  public static final long INLINE_IMAGE_MAX_BASE64_CHARS = 4 * ((IMAGE_MAX_BYTES + 2) / 3);

  /**
   * Largest Kafka record the platform writes or reads: the broker's/topic's {@code
   * max.message.bytes}, the producers' {@code max.request.size}. Holds the base64 of the largest
   * inline image (22 369 624 characters) plus about 2.6 MiB for the envelope, metadata, tags and
   * the dead-letter headers a copy to a DLQ adds.
   */
  public static final int KAFKA_MAX_RECORD_BYTES = 24 * 1024 * 1024;

  public static final String KAFKA_MAX_RECORD_BYTES_TEXT = "" + KAFKA_MAX_RECORD_BYTES;

  /**
   * Longest JSON string the ingest codec reads (Jackson's {@code StreamReadConstraints}): a record
   * cannot hold a longer one, so the parser's own cap never refuses a record the broker carried; an
   * inline image over {@link #IMAGE_MAX_BYTES} is refused by its size, with that reason.
   */
  public static final int JSON_MAX_STRING_CHARS = KAFKA_MAX_RECORD_BYTES;

  /**
   * Most images in one interleaved {@code Ask} ({@code AskRequest.parts}): each becomes at least 64
   * prompt tokens and, with image splitting, up to 17 tiles of 512×512 floats (3 MiB each), so a
   * few examples and a query fit, and one question cannot fill the model's context or the worker's
   * heap.
   */
  public static final int ASK_MAX_IMAGES = 4;

  /** Most parts (texts and images) in one interleaved {@code Ask}. */
  public static final int ASK_MAX_PARTS = 16;

  /**
   * Most image bytes in one interleaved {@code Ask} together (three images at the largest size):
   * the gateway forwards items by value, and the request must stay within the generator's 64 MiB
   * gRPC message limit.
   */
  public static final long ASK_MAX_TOTAL_IMAGE_BYTES = 3 * IMAGE_MAX_BYTES;

  /**
   * Longest side of a generated image ({@code GenerateRequest.width/height}): SD 1.x/2.x are
   * trained at 512 and 768; at 1024 the UNet's attention at the finest level already holds 16 384
   * tokens per candidate.
   */
  public static final int GENERATE_MAX_SIDE = 1024;

  /** Most denoising steps of one {@code Generate} (DDIM/Euler need 20 to 50, LCM 2 to 8). */
  public static final int GENERATE_MAX_STEPS = 100;

  /**
   * Most candidates of one {@code Generate}: they are denoised as one UNet batch (twice that with
   * guidance), so this bounds the batch the generator's memory must hold.
   */
  public static final int GENERATE_MAX_CANDIDATES = 8;

  /** Longest prompt (and negative prompt) in characters; CLIP reads 77 tokens of it anyway. */
  public static final int GENERATE_MAX_PROMPT_CHARS = 2000;

  /**
   * Most caller images of one {@code Rerank}: each is embedded by the encoder within the call
   * (twice {@link #GENERATE_MAX_CANDIDATES}, so a caller can compare two generations).
   */
  public static final int RERANK_MAX_IMAGES = 2 * GENERATE_MAX_CANDIDATES;

  private Limits() {}

  /** Length of the padded base64 text of {@code bytes} bytes. */
  public static long base64Length(long bytes) {
    return 4 * ((bytes + 2) / 3);
  }
}
