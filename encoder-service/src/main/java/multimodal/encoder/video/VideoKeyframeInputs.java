package multimodal.encoder.video;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import multimodal.encoder.Embedder;
import multimodal.encoder.InvalidInputException;
import multimodal.encoder.inference.EmbeddingModel;
import multimodal.media.video.InvalidVideoException;
import multimodal.media.video.Keyframe;
import multimodal.media.video.Keyframes;
import multimodal.media.video.VideoKeyframes;
import multimodal.v1.TimeRange;

/**
 * A video's keyframes made ready for the image tower: extracted by {@link VideoKeyframes}, each
 * preprocessed like an image, with the time range it stands for.
 *
 * @param pixels one image-tower input per keyframe, in order of time
 * @param times the stretch of the video each keyframe stands for
 */
public record VideoKeyframeInputs(List<float[]> pixels, List<TimeRange> times, long durationMs) {

  /**
   * @throws InvalidInputException when the video is refused (the decoder's field and reason)
   */
  public static VideoKeyframeInputs prepare(
      VideoKeyframes extractor,
      Embedder embedder,
      EmbeddingModel model,
      byte[] bytes,
      String contentType,
      String field) {
    return prepare(embedder, model, field, () -> extractor.extract(bytes, contentType, field));
  }

  /** As above for a video in a file (fetched to a scratch file): FFmpeg reads it in place. */
  public static VideoKeyframeInputs prepare(
      VideoKeyframes extractor,
      Embedder embedder,
      EmbeddingModel model,
      Path file,
      String contentType,
      String field) {
    return prepare(embedder, model, field, () -> extractor.extract(file, contentType, field));
  }

  private static VideoKeyframeInputs prepare(
      Embedder embedder, EmbeddingModel model, String field, Supplier<Keyframes> extract) {
    Keyframes keyframes;
    try {
      keyframes = extract.get();
    } catch (InvalidVideoException e) {
      throw new InvalidInputException(e.field(), e.reason(), e);
    } catch (IllegalStateException e) {
      // FFmpeg missing or failing on its own: the item goes to the dead letters with the reason
      // (and can be replayed from there) rather than failing the batch again and again.
      throw new InvalidInputException(field, "video cannot be decoded here: " + e.getMessage(), e);
    }
    List<float[]> pixels = new ArrayList<>(keyframes.frames().size());
    List<TimeRange> times = new ArrayList<>(keyframes.frames().size());
    for (Keyframe frame : keyframes.frames()) {
      pixels.add(embedder.preprocessFrame(model, frame.image(), field, Long.MAX_VALUE));
      times.add(TimeRange.newBuilder().setStartMs(frame.startMs()).setEndMs(frame.endMs()).build());
    }
    return new VideoKeyframeInputs(pixels, times, keyframes.durationMs());
  }
}
