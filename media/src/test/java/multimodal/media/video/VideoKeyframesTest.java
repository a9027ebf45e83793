package multimodal.media.video;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import multimodal.v1.Limits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keyframes of videos the test makes from the shared photographs, and the refusals. */
class VideoKeyframesTest {
  private final VideoKeyframes keyframes = new VideoKeyframes(VideoLimits.DEFAULTS);

  @Test
  void mp4KeyframesAreTheSceneChangesWithTheirTimeRanges() {
    byte[] video = TestVideos.mp4(3, "coffee.png", "horse.png", "rocket.jpg");

    Keyframes result = keyframes.extract(video, "video/mp4", "data.bytes");

    assertThat(result.codec()).isEqualTo("h264");
    assertThat(result.width()).isEqualTo(320);
    assertThat(result.durationMs()).isBetween(8900L, 9100L);
    assertThat(ranges(result))
        .containsExactly(
            List.of(0L, 3000L), List.of(3000L, 6000L), List.of(6000L, result.durationMs()));
    assertThat(result.frames())
        .allSatisfy(
            frame -> {
              assertThat(frame.image().width()).isEqualTo(320);
              assertThat(frame.image().height()).isEqualTo(240);
            });
    assertThat(result.frames().get(1).sceneScore()).isGreaterThan(0.3);
    // Each keyframe shows its own photograph.
    assertThat(result.frames().get(0).image().rgb())
        .isNotEqualTo(result.frames().get(1).image().rgb());
  }

  @Test
  void webmVp9KeyframesAreTheSceneChanges() {
    byte[] video = TestVideos.webm(2, "chelsea.png", "coins.png");

    Keyframes result = keyframes.extract(video, "video/webm; codecs=vp9", "data.bytes");

    assertThat(result.contentType()).isEqualTo("video/webm");
    assertThat(result.codec()).isEqualTo("vp9");
    assertThat(ranges(result))
        .containsExactly(List.of(0L, 2000L), List.of(2000L, result.durationMs()));
  }

  @Test
  void aLongSceneGetsAKeyframeEveryMaximumInterval() {
    byte[] video = TestVideos.mp4(7, "coffee.png");
    VideoLimits limits =
        new VideoLimits(
            "ffmpeg",
            "ffprobe",
            1 << 24,
            Duration.ofMinutes(1),
            1 << 24,
            32,
            Duration.ofSeconds(60),
            0.3,
            Duration.ofSeconds(3),
            640);

    Keyframes result = new VideoKeyframes(limits).extract(video, "video/mp4", "data.bytes");

    assertThat(result.frames()).extracting(Keyframe::startMs).containsExactly(0L, 3000L, 6000L);
  }

  @Test
  void framesPerItemAreCappedAndTheLastCoversTheRest() {
    byte[] video = TestVideos.mp4(2, "coffee.png", "horse.png", "rocket.jpg");

    Keyframes result =
        new VideoKeyframes(VideoLimits.DEFAULTS.withMaxFrames(2))
            .extract(video, "video/mp4", "data.bytes");

    assertThat(ranges(result))
        .containsExactly(List.of(0L, 2000L), List.of(2000L, result.durationMs()));
  }

  @Test
  void aTruncatedMp4IsRefused() {
    byte[] video = TestVideos.mp4(3, "coffee.png", "horse.png");

    assertThatThrownBy(
            () ->
                keyframes.extract(
                    Arrays.copyOf(video, video.length / 2), "video/mp4", "data.bytes"))
        .isInstanceOf(InvalidVideoException.class)
        .hasMessage("data.bytes: video/mp4 does not decode: moov atom not found");
  }

  @Test
  void aTruncatedFastStartMp4IsRefusedAsTruncated() {
    byte[] video = TestVideos.mp4FastStart(3, "coffee.png", "horse.png", "rocket.jpg");

    assertThatThrownBy(
            () ->
                keyframes.extract(
                    Arrays.copyOf(video, video.length / 2), "video/mp4", "data.bytes"))
        .isInstanceOf(InvalidVideoException.class)
        .hasMessageStartingWith(
            "data.bytes: the video is truncated: the file declares 9.0 s, its frames end at ");
  }

  @Test
  void aZipNamedMp4IsRefusedSayingWhatItIs() {
    assertThatThrownBy(() -> keyframes.extract(TestVideos.zip(), "video/mp4", "data.uri"))
        .isInstanceOf(InvalidVideoException.class)
        .hasMessage("data.uri: not video/mp4: the bytes are a ZIP archive");
  }

  @Test
  void aWebmWithALyingHeaderIsRefused() {
    byte[] lying = new byte[4096];
    new java.util.Random(7).nextBytes(lying);
    lying[0] = 0x1a;
    lying[1] = 0x45;
    lying[2] = (byte) 0xdf;
    lying[3] = (byte) 0xa3;

    assertThatThrownBy(() -> keyframes.extract(lying, "video/webm", "data.bytes"))
        .isInstanceOf(InvalidVideoException.class)
        .hasMessageStartingWith("data.bytes: video/webm does not decode: ");
  }

  @Test
  void anMp4LabelledWebmIsRefused() {
    byte[] video = TestVideos.mp4(1, "coffee.png");

    assertThatThrownBy(() -> keyframes.extract(video, "video/webm", "data.bytes"))
        .hasMessage("data.bytes: not video/webm: the bytes are video/mp4");
  }

  @Test
  void aVideoOverTheDurationLimitIsRefusedBeforeDecoding() {
    byte[] video = TestVideos.mp4(3, "coffee.png", "horse.png");

    assertThatThrownBy(
            () ->
                new VideoKeyframes(VideoLimits.DEFAULTS.withMaxDuration(Duration.ofSeconds(5)))
                    .extract(video, "video/mp4", "data.bytes"))
        .isInstanceOf(InvalidVideoException.class)
        .hasMessage("data.bytes: the file declares 6.0 s of video, over the limit of 5.0 s");
  }

  /**
   * A video over the 16 MiB image limit is read from its file where it lies (FFmpeg opens the path;
   * nothing of it is loaded), and the byte limit is checked from the file's size.
   */
  @Test
  void aVideoFileOverTheImageLimitIsReadFromItsPath(@TempDir Path dir) {
    Path large =
        TestVideos.paddedMp4(
            TestVideos.mp4(2, "coffee.png", "horse.png"),
            Limits.IMAGE_MAX_BYTES + 1024 * 1024,
            dir.resolve("large.mp4"));

    Keyframes result = keyframes.extract(large, "video/mp4", "data.uri");

    assertThat(ranges(result))
        .containsExactly(List.of(0L, 2000L), List.of(2000L, result.durationMs()));
    VideoLimits small =
        new VideoLimits(
            "ffmpeg",
            "ffprobe",
            Limits.IMAGE_MAX_BYTES,
            Duration.ofMinutes(10),
            VideoLimits.DEFAULTS.maxPixels(),
            32,
            Duration.ofSeconds(60),
            0.3,
            Duration.ofSeconds(10),
            640);
    assertThatThrownBy(() -> new VideoKeyframes(small).extract(large, "video/mp4", "data.uri"))
        .isInstanceOf(InvalidVideoException.class)
        .hasMessageContaining("over the limit of " + Limits.IMAGE_MAX_BYTES);
  }

  @Test
  void anUnsupportedVideoTypeIsRefused() {
    assertThatThrownBy(
            () -> keyframes.extract(new byte[] {1, 2, 3}, "video/quicktime", "data.bytes"))
        .isInstanceOf(InvalidVideoException.class)
        .hasMessage(
            "data.contentType: video type video/quicktime is not supported; supported: video/mp4,"
                + " video/webm");
  }

  private static List<List<Long>> ranges(Keyframes result) {
    return result.frames().stream().map(frame -> List.of(frame.startMs(), frame.endMs())).toList();
  }
}
