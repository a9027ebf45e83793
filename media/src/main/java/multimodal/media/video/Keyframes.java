package multimodal.media.video;

import java.util.List;

/**
 * The keyframes of one video, in order of time, and what the container said of it.
 *
 * @param contentType the canonical type ({@code video/mp4}, {@code video/webm})
 * @param codec FFmpeg's name of the video stream's codec ({@code h264}, {@code vp9}, …)
 * @param durationMs the video's length as its stream or container declares it
 */
public record Keyframes(
    String contentType,
    String codec,
    int width,
    int height,
    long durationMs,
    List<Keyframe> frames) {
  public Keyframes {
    frames = List.copyOf(frames);
  }
}
