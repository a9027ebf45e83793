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
 * FFmpeg decoding of every transcribed type, and of the sound track of videos made by the test (a
 * photograph with the synthesised sentence), and the refusals of hostile files, with reasons.
 */
class AudioDecoderTest {
  /** The picture of the test videos, whose sound track is the synthesised sentence. */
  private static final Path STILL = Path.of("../testdata/images/coffee.png");

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
    // 44-byte canonical header written by FFmpeg, then the samples.
    wavMillis = (Files.size(wav) - 44) / 32;
  }

  @ParameterizedTest
  @CsvSource({
    "wav, audio/wav",
    "wav, audio/x-wav",
    "mp3, audio/mpeg",
    "opus, audio/ogg; codecs=opus",
    "vorbis, audio/ogg",
    "flac, audio/flac"
  })
  void decodesEveryTypeTo16kMono(String codec, String contentType) throws IOException {
    Path file = "wav".equals(codec) ? wav : SynthesisedSpeech.encode(wav, codec);

    Pcm16k pcm = decoder.decode(Files.readAllBytes(file), contentType, "data.bytes");

    // Lossy codecs pad a few frames; the length stays the sentence's.
    assertThat(pcm.durationMillis()).isBetween(wavMillis - 60, wavMillis + 120);
    assertThat(peak(pcm)).as("speech, not silence").isGreaterThan(1000);
  }

  @Test
  void zipNamedWavIsRefusedSayingWhatItIs() throws IOException {
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(zip)) {
      out.putNextEntry(new ZipEntry("speech.wav"));
      out.write(Files.readAllBytes(wav));
    }

    assertThatThrownBy(() -> decoder.decode(zip.toByteArray(), "audio/wav", "data.bytes"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("data.bytes: not audio/wav audio: it is a ZIP archive");
  }

  @Test
  void flacDeclaredAsMp3IsRefused() throws IOException {
    byte[] flac = Files.readAllBytes(SynthesisedSpeech.encode(wav, "flac"));

    assertThatThrownBy(() -> decoder.decode(flac, "audio/mpeg", "data.uri"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("data.uri: not audio/mpeg audio: it is a FLAC file");
  }

  @Test
  void tenHourSilentWavHeaderIsRefusedBeforeDecoding() {
    long tenHours = 36_000L * 16_000 * 2;
    byte[] file = concat(wavHeader(tenHours), new byte[32_000]);

    assertThatThrownBy(() -> decoder.decode(file, "audio/wav", "data.bytes"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("data.bytes: the file declares 36000.0 s of audio, over the limit of 600.0 s");
  }

  @Test
  void truncatedWavIsRefusedAsTruncated() throws IOException {
    byte[] whole = Files.readAllBytes(wav);
    byte[] half = Arrays.copyOf(whole, whole.length / 2);

    assertThatThrownBy(() -> decoder.decode(half, "audio/wav", "data.bytes"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("data.bytes: the audio is truncated: the file declares ")
        .hasMessageContaining("it holds");
  }

  /** An MP3 whose Xing header declares the whole sentence but whose frames stop half-way. */
  @Test
  void mp3WithLyingLengthHeaderIsRefusedAsTruncated() throws IOException {
    byte[] whole = Files.readAllBytes(SynthesisedSpeech.encode(wav, "mp3"));
    byte[] half = Arrays.copyOf(whole, whole.length / 2);

    assertThatThrownBy(() -> decoder.decode(half, "audio/mpeg", "data.bytes"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("data.bytes: the audio is truncated: the file declares ");
  }

  @Test
  void truncatedFlacIsRefused() throws IOException {
    byte[] whole = Files.readAllBytes(SynthesisedSpeech.encode(wav, "flac"));
    byte[] half = Arrays.copyOf(whole, whole.length / 2);

    assertThatThrownBy(() -> decoder.decode(half, "audio/flac", "data.bytes"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("data.bytes: the audio is truncated: the file declares ");
  }

  @Test
  void headerWithoutSamplesIsRefused() {
    assertThatThrownBy(() -> decoder.decode(wavHeader(0), "audio/wav", "data.bytes"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("data.bytes: the file holds no audio samples");
  }

  @Test
  void oggSignatureFollowedByGarbageDoesNotDecode() {
    byte[] garbage = new byte[4096];
    new java.util.Random(7).nextBytes(garbage);
    System.arraycopy("OggS".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, garbage, 0, 4);

    assertThatThrownBy(() -> decoder.decode(garbage, "audio/ogg", "data.bytes"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("data.bytes: ");
  }

  @Test
  void audioOverTheDurationLimitIsRefused() throws IOException {
    AudioDecoder strict =
        new AudioDecoder(
            new AudioLimits(Duration.ofSeconds(1), Duration.ofSeconds(60), "ffmpeg", "ffprobe"));
    byte[] opus = Files.readAllBytes(SynthesisedSpeech.encode(wav, "opus"));

    assertThatThrownBy(() -> strict.decode(opus, "audio/ogg", "data.bytes"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("over the limit of 1.0 s");
  }

  @Test
  void unsupportedAudioTypeIsRefusedNamingTheSupportedOnes() {
    assertThatThrownBy(() -> decoder.decode(new byte[16], "audio/aac", "data.bytes"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "data.contentType: audio type audio/aac is not transcribed; supported: audio/wav,"
                + " audio/mpeg, audio/ogg, audio/flac");
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

  private static int peak(Pcm16k pcm) {
    ByteBuffer samples = ByteBuffer.wrap(pcm.samples()).order(ByteOrder.LITTLE_ENDIAN);
    int peak = 0;
    while (samples.hasRemaining()) {
      peak = Math.max(peak, Math.abs(samples.getShort()));
    }
    return peak;
  }

  /** A canonical 16 kHz mono 16-bit PCM WAV header declaring {@code dataBytes} of samples. */
  static byte[] wavHeader(long dataBytes) {
    ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
    header.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    header.putInt((int) Math.min(0xFFFFFFFFL, 36 + dataBytes));
    header.put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    header.putInt(16).putShort((short) 1).putShort((short) 1).putInt(16_000).putInt(32_000);
    header.putShort((short) 2).putShort((short) 16);
    header.put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    header.putInt((int) dataBytes);
    return header.array();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] joined = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    return joined;
  }
}
