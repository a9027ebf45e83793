package multimodal.generator.messaging;

import java.util.List;
import java.util.Optional;
import multimodal.generator.InvalidInputException;
import multimodal.generator.inference.caption.CaptionModel;
import multimodal.generator.inference.generation.DecodingOptions;
import multimodal.generator.inference.text.TesseractOcr;
import multimodal.media.video.VideoKeyframes;
import multimodal.v1.TimeRange;

/**
 * Captions and OCRs every keyframe of one video: the keyframes come from {@link VideoFrames} (the
 * same extraction and limits as the encoder's and the vision group's), and each goes through the
 * caption consumer's image step ({@link CaptionEnrichment}: batched captions while OCR runs on its
 * workers). A refused video is an {@link InvalidInputException} with the decoder's field and
 * reason, so the consumer dead-letters it alone.
 */
final class VideoCaptions {
  /**
   * One video's keyframes and what was read in each, in order of time.
   *
   * @param times the stretch of the video each keyframe stands for
   * @param frames each keyframe's caption and OCR text, in the order of {@code times}
   * @param decodeMicros what cutting the video into keyframes cost
   */
  record Captioned(
      List<TimeRange> times,
      List<CaptionEnrichment.Enriched> frames,
      long durationMs,
      long decodeMicros) {}

  private final VideoFrames keyframes;
  private final CaptionEnrichment enrichment;

  VideoCaptions(VideoKeyframes keyframes, CaptionEnrichment enrichment) {
    this.keyframes = new VideoFrames(keyframes);
    this.enrichment = enrichment;
  }

  /**
   * @throws InvalidInputException when the video is refused (unsupported, mislabelled, corrupt,
   *     truncated, over a limit, too slow to decode, or FFmpeg unusable here)
   */
  Captioned caption(
      CaptionInput.Video video,
      CaptionModel model,
      Optional<TesseractOcr> ocr,
      DecodingOptions options) {
    VideoFrames.Cut cut = keyframes.cut(video);
    return new Captioned(
        cut.times(),
        enrichment.enrich(model, ocr, cut.images(), options),
        cut.durationMs(),
        cut.decodeMicros());
  }
}
