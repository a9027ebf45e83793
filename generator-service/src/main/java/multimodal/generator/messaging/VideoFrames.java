package multimodal.generator.messaging;

import java.awt.image.BufferedImage;
import java.util.List;
import multimodal.generator.InvalidInputException;
import multimodal.media.video.InvalidVideoException;
import multimodal.media.video.Keyframe;
import multimodal.media.video.Keyframes;
import multimodal.media.video.VideoKeyframes;
import multimodal.v1.TimeRange;

/**
 * Cuts one video into keyframes for the consumers that look at pictures (captions and OCR, object
 * tags and safety): media's {@link VideoKeyframes} with {@code generator.video.*} (the first frame,
 * scene changes, one frame per interval, at most {@code max-frames}; the encoder's extraction and
 * limits), so every group cuts a video at the same times. A refused video is an {@link
 * InvalidInputException} with the decoder's field and reason, so the consumer dead-letters it
 * alone.
 */
final class VideoFrames {
  /**
   * One video's keyframes, in order of time.
   *
   * @param times the stretch of the video each keyframe stands for
   * @param images the keyframes, in the order of {@code times}
   * @param decodeMicros what cutting the video into keyframes cost
   */
  record Cut(
      List<TimeRange> times, List<BufferedImage> images, long durationMs, long decodeMicros) {
    Cut {
      times = List.copyOf(times);
      images = List.copyOf(images);
    }
  }

  private final VideoKeyframes keyframes;

  VideoFrames(VideoKeyframes keyframes) {
    this.keyframes = keyframes;
  }

  /**
   * @throws InvalidInputException when the video is refused (unsupported, mislabelled, corrupt,
   *     truncated, over a limit, too slow to decode, or FFmpeg unusable here)
   */
  Cut cut(CaptionInput.Video video) {
    long start = System.nanoTime();
    Keyframes extracted = extract(video);
    long decodeMicros = (System.nanoTime() - start) / 1_000;
    return new Cut(
        extracted.frames().stream().map(VideoFrames::time).toList(),
        extracted.frames().stream().map(frame -> frame.image().toBufferedImage()).toList(),
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
