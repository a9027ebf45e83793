package multimodal.media.config;

import io.smallrye.config.WithDefault;
import java.time.Duration;
import multimodal.media.video.VideoLimits;
import multimodal.v1.Limits;

/**
 * The video settings of every service that extracts keyframes ({@code <prefix>.video.*}): the same
 * keys, defaults ({@link VideoLimits#DEFAULTS}) and meaning everywhere.
 */
public interface VideoSettings {
  /** The ffmpeg executable (Debian's, on PATH by default). */
  @WithDefault("ffmpeg")
  String ffmpeg();

  /** The ffprobe executable. */
  @WithDefault("ffprobe")
  String ffprobe();

  /**
   * Largest encoded video accepted, and fetched (to a scratch file, never into memory); the
   * platform's audio and video limit ({@link Limits#AUDIO_VIDEO_MAX_BYTES}, 512 MiB) by default.
   * Inline videos stay within the image limit (the Kafka record).
   */
  @WithDefault(Limits.AUDIO_VIDEO_MAX_BYTES_TEXT)
  long maxBytes();

  /** Longest video accepted (declared by the container, or decoded). */
  @WithDefault("10m")
  Duration maxDuration();

  /** Largest width x height of the video stream. */
  @WithDefault("8294400")
  long maxPixels();

  /** Most keyframes kept per video. */
  @WithDefault("32")
  int maxFrames();

  /** Wall-clock limit of each FFmpeg run. */
  @WithDefault("60s")
  Duration decodeTimeout();

  /** Scene-change score (0..1) above which a frame starts a new scene. */
  @WithDefault("0.3")
  double sceneThreshold();

  /** A keyframe is taken at least this often. */
  @WithDefault("10s")
  Duration maxInterval();

  /** Keyframes are scaled down to fit this square. */
  @WithDefault("640")
  int frameMaxSide();

  /** The limits these settings describe. */
  static VideoLimits limits(VideoSettings settings) {
    return new VideoLimits(
        settings.ffmpeg(),
        settings.ffprobe(),
        settings.maxBytes(),
        settings.maxDuration(),
        settings.maxPixels(),
        settings.maxFrames(),
        settings.decodeTimeout(),
        settings.sceneThreshold(),
        settings.maxInterval(),
        settings.frameMaxSide());
  }
}
