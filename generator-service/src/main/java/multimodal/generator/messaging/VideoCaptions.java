package multimodal.generator.messaging;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Optional;
import multimodal.generator.InvalidInputException;
import multimodal.generator.inference.caption.CaptionModel;
import multimodal.generator.inference.generation.DecodingOptions;
import multimodal.generator.inference.text.TesseractOcr;
import multimodal.media.video.InvalidVideoException;
import multimodal.media.video.Keyframe;
import multimodal.media.video.Keyframes;
import multimodal.media.video.VideoKeyframes;
import multimodal.v1.TimeRange;

/**
 * Captions and OCRs every keyframe of one video: the keyframes come from media's {@link
 * VideoKeyframes} (the first frame, scene changes, one frame per interval, at most {@code
 * max-frames}; the same extraction and limits as the encoder's), and each goes through the caption
 * consumer's image step ({@link CaptionEnrichment}: batched captions while OCR runs on its
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

  private final VideoKeyframes keyframes;
  private final CaptionEnrichment enrichment;

  VideoCaptions(VideoKeyframes keyframes, CaptionEnrichment enrichment) {
    this.keyframes = keyframes;
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
    long start = System.nanoTime();
    Keyframes extracted = extract(video);
    long decodeMicros = (System.nanoTime() - start) / 1_000;
    List<BufferedImage> images =
        extracted.frames().stream().map(frame -> frame.image().toBufferedImage()).toList();
    List<TimeRange> times = extracted.frames().stream().map(VideoCaptions::time).toList();
    return new Captioned(
        times,
        enrichment.enrich(model, ocr, images, options),
        extracted.durationMs(),
        decodeMicros);
  }

  private Keyframes extract(CaptionInput.Video video) {
    try {
      // A fetched video's scratch file is removed as soon as its keyframes are out: a batch may
      // hold several large videos.
      try (video) {
        return video.file() != null
            ? keyframes.extract(video.file().path(), video.contentType(), video.field())
            : keyframes.extract(video.bytes(), video.contentType(), video.field());
      }
    } catch (InvalidVideoException e) {
      throw new InvalidInputException(e.field(), e.reason(), e);
    } catch (IllegalStateException e) {
      // FFmpeg missing or failing on its own: dead-lettered with the reason (and replayable from
      // there) rather than failing the batch again and again, as the encoder does.
      throw new InvalidInputException(
          video.field(), "video cannot be decoded here: " + e.getMessage(), e);
    }
  }

  private static TimeRange time(Keyframe frame) {
    return TimeRange.newBuilder().setStartMs(frame.startMs()).setEndMs(frame.endMs()).build();
  }
}
