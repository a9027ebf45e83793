package multimodal.media.video;

import java.time.Duration;
import multimodal.v1.Limits;

/**
 * What one video may cost. A hostile or broken file is refused at the first limit it crosses, so it
 * costs at most {@code decodeTimeout} of one FFmpeg process and {@code maxFrames} decoded frames.
 *
 * @param ffmpeg the ffmpeg executable (Debian's {@code /usr/bin/ffmpeg} by default, found on PATH)
 * @param ffprobe the ffprobe executable
 * @param maxBytes largest encoded video accepted ({@link Limits#AUDIO_VIDEO_MAX_BYTES} by default:
 *     a video over the image limit arrives as a claim check and is fetched to a scratch file)
 * @param maxDuration longest video accepted, as its container declares it
 * @param maxPixels largest width x height of the video stream (read before decoding)
 * @param maxFrames most keyframes kept per item; later scene changes are not extracted
 * @param decodeTimeout wall-clock limit of each FFmpeg run; the process is killed at it
 * @param sceneThreshold FFmpeg's scene-change score (0..1) above which a frame starts a new scene
 * @param maxInterval a keyframe is taken at least this often, even without a scene change
 * @param frameMaxSide keyframes are scaled down (keeping their shape) to fit this square
 */
public record VideoLimits(
    String ffmpeg,
    String ffprobe,
    long maxBytes,
    Duration maxDuration,
    long maxPixels,
    int maxFrames,
    Duration decodeTimeout,
    double sceneThreshold,
    Duration maxInterval,
    int frameMaxSide) {

  /** The defaults of every service ({@code <prefix>.video.*} in {@code VideoSettings}). */
  public static final VideoLimits DEFAULTS =
      new VideoLimits(
          "ffmpeg",
          "ffprobe",
          Limits.AUDIO_VIDEO_MAX_BYTES,
          Duration.ofMinutes(10),
          3840L * 2160,
          32,
          Duration.ofSeconds(60),
          0.3,
          Duration.ofSeconds(10),
          640);

  public VideoLimits {
    if (maxBytes <= 0 || maxPixels <= 0 || maxFrames <= 0 || frameMaxSide < 16) {
      throw new IllegalArgumentException("video limits must be positive: " + this);
    }
    if (sceneThreshold <= 0 || sceneThreshold >= 1) {
      throw new IllegalArgumentException("scene threshold must be in (0, 1): " + sceneThreshold);
    }
    if (maxDuration.isNegative()
        || maxDuration.isZero()
        || decodeTimeout.isNegative()
        || decodeTimeout.isZero()
        || maxInterval.isNegative()
        || maxInterval.isZero()) {
      throw new IllegalArgumentException("video durations must be positive: " + this);
    }
  }

  public VideoLimits withMaxDuration(Duration duration) {
    return new VideoLimits(
        ffmpeg,
        ffprobe,
        maxBytes,
        duration,
        maxPixels,
        maxFrames,
        decodeTimeout,
        sceneThreshold,
        maxInterval,
        frameMaxSide);
  }

  public VideoLimits withMaxFrames(int frames) {
    return new VideoLimits(
        ffmpeg,
        ffprobe,
        maxBytes,
        maxDuration,
        maxPixels,
        frames,
        decodeTimeout,
        sceneThreshold,
        maxInterval,
        frameMaxSide);
  }
}
