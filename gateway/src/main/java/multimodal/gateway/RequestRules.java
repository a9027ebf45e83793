package multimodal.gateway;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import multimodal.gateway.config.GatewayConfig;
import multimodal.v1.ImageSource;
import multimodal.v1.ingest.AudioTypes;
import multimodal.v1.ingest.VideoTypes;

/**
 * The bounds the gateway puts on what a caller supplies, the same for REST and for the public gRPC
 * API: image bytes and URLs, list sizes, text lengths, k, scores. Refusals are {@link
 * RequestRefused}, so each front door renders them in its own terms with the same words.
 */
@ApplicationScoped
public class RequestRules {
  /** Most results one search returns. */
  public static final int MAX_K = 1000;

  /** Longest query, question, label, text or template. */
  public static final int MAX_TEXT = 2048;

  /** Most labels, templates or candidate texts in one request. */
  public static final int MAX_TEXTS = 256;

  /** Most OCR languages in one request. */
  public static final int MAX_LANGUAGES = 16;

  /** Most tokens one answer may ask for. */
  public static final int MAX_NEW_TOKENS = 1024;

  /** Bytes of a file's start enough to tell its type ({@link #mediaType}). */
  public static final int SNIFF_BYTES = 64;

  private final long maxImageBytes;
  private final long maxAudioVideoBytes;
  private final int maxBatch;

  @Inject
  RequestRules(GatewayConfig config) {
    this(
        config.upload().maxBytes().asLongValue(),
        config.upload().audioVideoMaxBytes().asLongValue(),
        config.upload().maxBatch());
  }

  public RequestRules(long maxImageBytes, int maxBatch) {
    this(maxImageBytes, maxImageBytes, maxBatch);
  }

  public RequestRules(long maxImageBytes, long maxAudioVideoBytes, int maxBatch) {
    this.maxImageBytes = maxImageBytes;
    this.maxAudioVideoBytes = maxAudioVideoBytes;
    this.maxBatch = maxBatch;
  }

  public long maxImageBytes() {
    return maxImageBytes;
  }

  /**
   * An image given by value: not empty, at most the upload limit, and a format the platform
   * decodes.
   */
  public byte[] image(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      throw RequestRefused.invalid("the image is empty");
    }
    if (bytes.length > maxImageBytes) {
      throw RequestRefused.tooLarge(bytes.length, maxImageBytes);
    }
    if (ImageFormat.sniff(bytes).isEmpty()) {
      throw RequestRefused.unsupportedImage();
    }
    return bytes;
  }

  /**
   * An uploaded file to ingest: not empty, at most the upload limit (the same for images, audio and
   * video), and an image format the platform decodes, an audio type it transcribes ({@link
   * AudioTypes#sniff}) or a video container it extracts keyframes from ({@link VideoTypes#sniff}),
   * judged by the content (the encoder's decoder checks the streams).
   *
   * @return the media type the content shows, e.g. {@code image/png} or {@code audio/wav}
   */
  public String upload(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      throw RequestRefused.invalid("the file is empty");
    }
    if (bytes.length > maxImageBytes) {
      Optional<String> type = sniff(bytes).filter(sniffed -> !VideoTypes.isStillImage(sniffed));
      if (type.isEmpty()) {
        throw RequestRefused.tooLarge(bytes.length, maxImageBytes);
      }
      // By value (gRPC, inline events) audio and video are held to the image limit too.
      throw RequestRefused.tooLargeMedia(
          type.get(),
          bytes.length,
          maxImageBytes,
          "(gateway.upload.max-bytes) for audio and video sent by value (gRPC IngestMedia);"
              + " upload larger files with REST POST /v1/media, up to "
              + maxAudioVideoBytes
              + " bytes");
    }
    return sniff(bytes).orElseThrow(RequestRefused::unsupportedMedia);
  }

  /**
   * An uploaded file (REST {@code POST /v1/media}) by its size and first bytes ({@link
   * #SNIFF_BYTES}): not empty, a type the platform takes, and within the limit of its kind: {@code
   * gateway.upload.max-bytes} for images, {@code gateway.upload.audio-video-max-bytes} for audio
   * and video.
   *
   * @return the media type the content shows
   */
  public String uploadedFile(byte[] head, long size) {
    if (size == 0) {
      throw RequestRefused.invalid("the file is empty");
    }
    Optional<String> sniffed = sniff(head);
    if (size > maxImageBytes && sniffed.map(VideoTypes::isStillImage).orElse(true)) {
      throw RequestRefused.tooLarge(size, maxImageBytes);
    }
    String type = sniffed.orElseThrow(RequestRefused::unsupportedMedia);
    if (size > maxAudioVideoBytes) {
      throw RequestRefused.tooLargeMedia(
          type,
          size,
          maxAudioVideoBytes,
          "for audio and video (gateway.upload.audio-video-max-bytes)");
    }
    return type;
  }

  /** The type the content shows, when it is an image, audio or video format the platform takes. */
  public static Optional<String> sniff(byte[] bytes) {
    return ImageFormat.sniff(bytes)
        .map(ImageFormat::mediaType)
        .or(() -> AudioTypes.sniff(bytes))
        .or(() -> VideoTypes.sniff(bytes));
  }

  /**
   * A size declared before the bytes are read (a multipart file): refused early when over the
   * limit.
   */
  public void imageSize(long size) {
    if (size > maxImageBytes) {
      throw RequestRefused.tooLarge(size, maxImageBytes);
    }
  }

  /** One image of a gRPC request: bytes as {@link #image}, a URL as {@link CallerUris#check}. */
  public void imageSource(ImageSource image, String field) {
    switch (image.getSourceCase()) {
      case DATA -> at(field + ".data", () -> image(image.getData().toByteArray()));
      case URI -> at(field + ".uri", () -> CallerUris.check(image.getUri()));
      case SOURCE_NOT_SET ->
          throw RequestRefused.invalid("an image needs 'data' or 'uri'").at(field);
    }
  }

  /** The images of one request: at least one, at most a batch. */
  public void imageSources(List<ImageSource> images) {
    batch(images.size(), "images");
    for (int i = 0; i < images.size(); i++) {
      imageSource(images.get(i), "images[" + i + "]");
    }
  }

  /** Items in one request: at least one, at most {@code gateway.upload.max-batch}. */
  public void batch(int size, String name) {
    if (size == 0) {
      throw RequestRefused.invalid("'" + name + "' must list at least one item").at(name);
    }
    if (size > maxBatch) {
      throw RequestRefused.invalid("at most " + maxBatch + " items per batch, got " + size)
          .at(name);
    }
  }

  /**
   * A list of texts (labels, templates, candidates, languages): 1..max, each non-blank and short.
   */
  public List<String> texts(String name, List<String> values, int max) {
    if (values == null || values.isEmpty()) {
      throw RequestRefused.invalid("'" + name + "' must list at least one text").at(name);
    }
    if (values.size() > max) {
      throw RequestRefused.invalid("at most " + max + " " + name).at(name);
    }
    for (String value : values) {
      if (value == null || value.isBlank() || value.length() > MAX_TEXT) {
        throw RequestRefused.invalid(
                "each of '" + name + "' must be non-blank and at most " + MAX_TEXT + " characters")
            .at(name);
      }
    }
    return values.stream().map(String::strip).toList();
  }

  /** One required text (a question, a rerank query). */
  public String text(String name, String value) {
    if (value == null || value.isBlank()) {
      throw RequestRefused.invalid("'" + name + "' must not be blank").at(name);
    }
    return shortText(name, value);
  }

  /** One optional text: may be empty, never longer than {@link #MAX_TEXT}. */
  public String shortText(String name, String value) {
    if (value != null && value.length() > MAX_TEXT) {
      throw RequestRefused.invalid("'" + name + "' is longer than " + MAX_TEXT + " characters")
          .at(name);
    }
    return value == null ? null : value.strip();
  }

  /** A media id of the caller's tenant. */
  public String mediaId(String name, String value) {
    if (!MediaIds.isValid(value)) {
      throw RequestRefused.invalid(name + " must match " + MediaIds.VALID.pattern()).at(name);
    }
    return value;
  }

  /** Results wanted: 1..{@link #MAX_K}; 0 is proto3's "unset" and means the backend's default. */
  public int k(int k) {
    if (k < 0 || k > MAX_K) {
      throw RequestRefused.invalid("'k' must be in 1.." + MAX_K + ", got " + k).at("k");
    }
    return k;
  }

  /** Tokens an answer may take: 1..{@link #MAX_NEW_TOKENS}; 0 is the default. */
  public int maxNewTokens(int value) {
    if (value < 0 || value > MAX_NEW_TOKENS) {
      throw RequestRefused.invalid(
              "'maxNewTokens' must be in 1.." + MAX_NEW_TOKENS + ", got " + value)
          .at("maxNewTokens");
    }
    return value;
  }

  /** A probability-like bound in 0..1 (NaN refused). */
  public float fraction(String name, float value) {
    if (!(value >= 0 && value <= 1)) {
      throw RequestRefused.invalid("'" + name + "' must be in 0..1, got " + value).at(name);
    }
    return value;
  }

  /** A fusion weight: finite and not negative. */
  public float weight(String name, float value) {
    if (!Float.isFinite(value) || value < 0) {
      throw RequestRefused.invalid("'" + name + "' must be a number, not negative, got " + value)
          .at(name);
    }
    return value;
  }

  /** Runs a rule, naming the field in its refusal. */
  private static void at(String field, Runnable rule) {
    try {
      rule.run();
    } catch (RequestRefused refused) {
      throw refused.at(field);
    }
  }
}
