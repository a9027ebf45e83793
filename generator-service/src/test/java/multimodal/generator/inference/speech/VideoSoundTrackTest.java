package multimodal.generator.inference.speech;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import multimodal.devkit.speech.SynthesisedSpeech;
import multimodal.generator.InvalidInputException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The audio track of videos made by the test (a photograph with synthesised speech), through the
 * same FFmpeg decoding as audio files; a video without sound, a truncated MP4 and a ZIP named
 * {@code .mp4}.
 */
class VideoSoundTrackTest {
  static final Path STILL = Path.of("../testdata/images/coffee.png");
  private static final String SENTENCE = "My daughter plays the piano every evening.";

  @TempDir static Path dir;
  private static Path wav;
  private static long wavMillis;

  private final AudioDecoder decoder =
      new AudioDecoder(
          new AudioLimits(Duration.ofMinutes(10), Duration.ofSeconds(60), "ffmpeg", "ffprobe"));

  @BeforeAll
  static void synthesise() throws IOException {
    wav = SynthesisedSpeech.sentence(SENTENCE, dir, "piano");
    wavMillis = (Files.size(wav) - 44) / 32;
  }

  @ParameterizedTest
  @CsvSource({
    "mp4, video/mp4",
    "mp4, video/x-m4v",
    "webm, video/webm",
    "webm, video/webm;codecs=vp9"
  })
  void decodesTheSoundTrackOfAVideoTo16kMono(String container, String contentType)
      throws IOException {
    Path video = SynthesisedSpeech.video(wav, STILL, container);

    Pcm16k pcm = decoder.decode(Files.readAllBytes(video), contentType, "data.bytes");

    // AAC and Opus pad a few frames; -shortest may cut the last picture's worth.
    assertThat(pcm.durationMillis()).isBetween(wavMillis - 600, wavMillis + 150);
    assertThat(peak(pcm)).as("speech, not silence").isGreaterThan(1000);
  }

  @ParameterizedTest
  @CsvSource({"mp4, video/mp4", "webm, video/webm"})
  void videoWithoutSoundDecodesToNoSamples(String container, String contentType)
      throws IOException {
    Path video = SynthesisedSpeech.silentVideo(STILL, 2.0, dir, "silent", container);

    Pcm16k pcm = decoder.decode(Files.readAllBytes(video), contentType, "data.bytes");

    assertThat(pcm.isEmpty()).isTrue();
  }

  @Test
  void truncatedMp4IsRefusedWithFfmpegsReason() throws IOException {
    byte[] mp4 = Files.readAllBytes(SynthesisedSpeech.video(wav, STILL, "mp4"));
    byte[] truncated = Arrays.copyOf(mp4, mp4.length / 2);

    // FFmpeg writes the index (moov) last, so half a file has none.
    assertThatThrownBy(() -> decoder.decode(truncated, "video/mp4", "data.bytes"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("data.bytes: video/mp4 video does not decode: ")
        .hasMessageContaining("moov atom not found");
  }

  @Test
  void zipNamedMp4IsRefusedSayingWhatItIs() throws IOException {
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(zip)) {
      out.putNextEntry(new ZipEntry("talk.mp4"));
      out.write(Files.readAllBytes(wav));
    }

    assertThatThrownBy(() -> decoder.decode(zip.toByteArray(), "video/mp4", "data.bytes"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("data.bytes: not video/mp4 video: it is a ZIP archive");
  }

  @Test
  void webmDeclaredAsMp4IsRefused() throws IOException {
    byte[] webm = Files.readAllBytes(SynthesisedSpeech.video(wav, STILL, "webm"));

    assertThatThrownBy(() -> decoder.decode(webm, "video/mp4", "data.bytes"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("data.bytes: not video/mp4 video: it is a WebM/Matroska file");
  }

  @Test
  void unsupportedVideoTypeIsRefusedNamingTheSupportedOnes() {
    assertThatThrownBy(() -> decoder.decode(new byte[16], "video/x-msvideo", "data.bytes"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "data.contentType: video type video/x-msvideo is not transcribed; supported:"
                + " video/mp4, video/webm");
  }

  static int peak(Pcm16k pcm) {
    ByteBuffer samples = ByteBuffer.wrap(pcm.samples()).order(ByteOrder.LITTLE_ENDIAN);
    int peak = 0;
    while (samples.remaining() >= 2) {
      peak = Math.max(peak, Math.abs(samples.getShort()));
    }
    return peak;
  }
}
