package multimodal.media.bench;

import java.util.Arrays;
import java.util.Locale;
import multimodal.media.video.Keyframes;
import multimodal.media.video.TestVideos;
import multimodal.media.video.VideoKeyframes;
import multimodal.media.video.VideoLimits;

/**
 * Keyframe extraction throughput on this machine: a video made from the ten shared photographs (one
 * scene each, {@code --seconds-each} long, 320 × 240 at 10 fps, H.264 MP4 and VP9 WebM) is cut into
 * keyframes {@code --rounds} times; prints the median round's video seconds processed per wall
 * second and the keyframes per minute of video. Run from the media module directory.
 */
public final class VideoBenchmark {
  private static final String[] PHOTOGRAPHS = {
    "CLIP.png", "astronaut.png", "camera.png", "chelsea.png", "clock_motion.png",
    "coffee.png", "coins.png", "horse.png", "hubble_deep_field.jpg", "rocket.jpg"
  };

  private VideoBenchmark() {}

  public static void main(String[] args) {
    double secondsEach = 5;
    int rounds = 3;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seconds-each" -> secondsEach = Double.parseDouble(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    VideoKeyframes extractor = new VideoKeyframes(VideoLimits.DEFAULTS);
    run("mp4/h264", TestVideos.mp4(secondsEach, PHOTOGRAPHS), "video/mp4", extractor, rounds);
    run("webm/vp9", TestVideos.webm(secondsEach, PHOTOGRAPHS), "video/webm", extractor, rounds);
  }

  private static void run(
      String name, byte[] video, String type, VideoKeyframes extractor, int rounds) {
    extractor.extract(video, type, "bench"); // warm-up: class loading, page cache
    double[] wallSeconds = new double[rounds];
    Keyframes result = null;
    for (int r = 0; r < rounds; r++) {
      long start = System.nanoTime();
      result = extractor.extract(video, type, "bench");
      wallSeconds[r] = (System.nanoTime() - start) / 1e9;
    }
    Arrays.sort(wallSeconds);
    double median = wallSeconds[rounds / 2];
    double videoSeconds = result.durationMs() / 1000.0;
    System.out.printf(
        Locale.ROOT,
        "%-9s %6.1f s of video, %d bytes: %2d keyframes (%.1f per minute of video);"
            + " median %.3f s wall -> %.1f video s per wall s%n",
        name,
        videoSeconds,
        video.length,
        result.frames().size(),
        result.frames().size() / videoSeconds * 60,
        median,
        videoSeconds / median);
  }
}
