package multimodal.gateway;

import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * JSON answer of {@code GET /v1/media/{mediaId}}: where one item is in the pipeline.
 *
 * @param state {@code accepted} (on the topic, not indexed yet) or {@code indexed}
 * @param embeddedBy one entry per model version that embedded the item
 * @param captionModel the captioner, with its fixture flag; null until captioned
 * @param vision {@code pending} until the object detector and safety classifier have run, then
 *     {@code analysed}
 * @param objects what the detector found, best first; boxes are fractions of imageWidth x
 *     imageHeight
 * @param safety safety class scores, or null until scored
 * @param imageWidth width in pixels of the image the boxes refer to (0 until analysed)
 * @param ingestedAt ISO-8601 instant, or null when unknown
 * @param imageTruncated why the uploaded image counts as truncated, when {@code
 *     gateway.upload.allow-truncated} let it in (its missing part is filled with grey in every
 *     decoder); null for a complete image
 * @param keyframes a video's keyframes in order of time, each with the stretch of the video it
 *     stands for (text empty, score 0); empty for images and audio
 * @param durationMs a video's or a transcribed recording's length (0 otherwise)
 * @param transcript an audio or video item's speech, segment by segment in order of time, each with
 *     its time range (score 0); empty until transcribed, and for a recording without speech
 * @param recognizer the speech recogniser, with its fixture flag; null until transcribed
 * @param keyframeCaptions a video's keyframes in order of time, each with its time range, caption
 *     and OCR text (empty when none was read); empty for images and audio, and until captioned
 */
public record MediaStatus(
    String mediaId,
    String tenant,
    @Schema(enumeration = {"accepted", "indexed"}) String state,
    String contentType,
    Map<String, String> metadata,
    List<String> tags,
    List<Embedded> embeddedBy,
    boolean captioned,
    String caption,
    Vision.Model captionModel,
    boolean ocrDone,
    String ocrText,
    @Schema(enumeration = {"pending", "analysed"}) String vision,
    List<Vision.DetectedObject> objects,
    Vision.Model detector,
    Vision.Safety safety,
    Vision.Model safetyModel,
    int imageWidth,
    int imageHeight,
    String ingestedAt,
    String imageTruncated,
    List<SearchResult.Segment> keyframes,
    long durationMs,
    List<SearchResult.Segment> transcript,
    Vision.Model recognizer,
    List<KeyframeCaption> keyframeCaptions) {

  public static final String VISION_PENDING = "pending";
  public static final String VISION_ANALYSED = "analysed";

  /**
   * @param fixture true for a generated demo fixture CLIP rather than real weights
   */
  public record Embedded(
      String model, String version, int dimension, String embeddedAt, boolean fixture) {}

  /** What one keyframe of a video shows: its caption and the text read in it. */
  public record KeyframeCaption(long startMs, long endMs, String caption, String ocrText) {}

  /** Known to the gateway (accepted) but not yet to the index. */
  public static MediaStatus accepted(
      String mediaId, String tenant, String contentType, String imageTruncated) {
    return new MediaStatus(
        mediaId,
        tenant,
        "accepted",
        contentType,
        Map.of(),
        List.of(),
        List.of(),
        false,
        null,
        null,
        false,
        null,
        VISION_PENDING,
        List.of(),
        null,
        null,
        null,
        0,
        0,
        null,
        imageTruncated,
        List.of(),
        0,
        List.of(),
        null,
        List.of());
  }

  /** This status with what the gateway knows of the upload's truncation. */
  public MediaStatus withImageTruncated(String truncation) {
    return new MediaStatus(
        mediaId,
        tenant,
        state,
        contentType,
        metadata,
        tags,
        embeddedBy,
        captioned,
        caption,
        captionModel,
        ocrDone,
        ocrText,
        vision,
        objects,
        detector,
        safety,
        safetyModel,
        imageWidth,
        imageHeight,
        ingestedAt,
        truncation,
        keyframes,
        durationMs,
        transcript,
        recognizer,
        keyframeCaptions);
  }
}
