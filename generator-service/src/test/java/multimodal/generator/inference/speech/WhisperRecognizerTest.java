package multimodal.generator.inference.speech;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import multimodal.devkit.onnx.WhisperFixture;
import multimodal.generator.inference.generation.GenerationControl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@link WhisperRecognizer} over devkit's Whisper fixture (the Optimum layout's tensor
 * names and shapes; it names each 5 s slot of a window that holds sound, with timestamps): the
 * log-mel front end, the encoder, greedy decoding under Whisper's timestamp rules with the KV cache
 * and without, 30 s windows, segments and their times; bad model directories named.
 */
class WhisperRecognizerTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  @TempDir static Path models;
  private static Path dir;
  private static WhisperRecognizer cached;
  private static WhisperRecognizer recomputing;

  @BeforeAll
  static void load() throws Exception {
    dir = WhisperFixture.write(models);
    cached = load(dir, true);
    recomputing = load(dir, false);
  }

  @AfterAll
  static void close() {
    cached.close();
    recomputing.close();
  }

  private static WhisperRecognizer load(Path dir, boolean useCache) throws Exception {
    return WhisperRecognizer.load(
        dir,
        OrtEnvironment.getEnvironment(),
        new OrtSession.SessionOptions(),
        new WhisperRecognizer.Settings(TIMEOUT, useCache, 224));
  }

  @Test
  void namesTheLoudSlotsWithTheirTimes() {
    // Tones inside slots 1 (5-10 s) and 3 (15-20 s) of one 30 s window.
    Pcm16k audio = tones(30, 5.5, 8.5, 15.5, 18.5);

    Transcript transcript = cached.transcribe(audio);

    assertThat(transcript.segments())
        .containsExactly(
            new Transcript.Segment(0, 9_000, "bravo", List.of()),
            new Transcript.Segment(10_000, 19_000, "delta", List.of()));
    assertThat(cached.info())
        .isEqualTo(new RecognizerInfo("whisper", WhisperFixture.VERSION, "en-US", true));
  }

  @Test
  void theKvCacheAndRecomputingGiveTheSameTokens() throws Exception {
    float[] window = WhisperRecognizer.floats(tones(30, 0.5, 3.5, 10.5, 13.5, 25.5, 28.5));
    assertThat(cached.cached()).isTrue();
    assertThat(recomputing.cached()).isFalse();

    List<Long> withCache;
    List<Long> without;
    try (GenerationControl control = GenerationControl.withTimeout(TIMEOUT)) {
      withCache = cached.decodeWindow(window, control);
      without = recomputing.decodeWindow(window, control);
    }

    // <|0.00|> alpha <|4.00|> <|5.00|> charlie <|14.00|> <|15.00|> foxtrot <|29.00|> <|endoftext|>
    assertThat(withCache).hasSize(10).isEqualTo(without);
    assertThat(recomputing.transcribe(tones(30, 0.5, 3.5, 10.5, 13.5, 25.5, 28.5)).text())
        .isEqualTo("alpha charlie foxtrot");
  }

  @Test
  void longAudioIsTranscribedIn30SecondWindows() {
    // 45 s: a tone in slot 0 of the first window, and in slot 2 of the second (40-45 s absolute).
    Pcm16k audio = tones(45, 0.5, 3.5, 40.5, 43.5);

    Transcript transcript = cached.transcribe(audio);

    assertThat(transcript.segments())
        .containsExactly(
            new Transcript.Segment(0, 4_000, "alpha", List.of()),
            new Transcript.Segment(30_000, 44_000, "charlie", List.of()));
  }

  @Test
  void silenceGivesNoSegments() {
    assertThat(cached.transcribe(tones(12)).segments()).isEmpty();
  }

  @Test
  void aMissingDirectoryIsNamed() {
    Path missing = models.resolve("nowhere");
    assertThatThrownBy(() -> load(missing, true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Whisper model directory "
                + missing
                + " does not exist (generator.speech.whisper.dir)");
  }

  @Test
  void aDirectoryWithoutADecoderIsNamed() throws Exception {
    Path copy = copyOfFixture("no-decoder");
    Files.delete(copy.resolve("onnx/decoder_model_merged.onnx"));

    assertThatThrownBy(() -> load(copy, true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(
            "missing model file " + copy.resolve("onnx/decoder_model_merged.onnx"))
        .hasMessageEndingWith("(or decoder_model.onnx): not a Whisper export");
  }

  @Test
  void aDirectoryWithoutAnEncoderIsNamed() throws Exception {
    Path copy = copyOfFixture("no-encoder");
    Files.delete(copy.resolve("onnx/encoder_model.onnx"));

    assertThatThrownBy(() -> load(copy, true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("missing model file " + copy.resolve("onnx/encoder_model.onnx"));
  }

  @Test
  void aTokenizerWithoutWhispersTokensIsRefused() throws Exception {
    Path copy = copyOfFixture("other-tokenizer");
    Files.writeString(
        copy.resolve("tokenizer.json"),
        """
        {"version":"1.0","added_tokens":[],"normalizer":null,"pre_tokenizer":{"type":"Whitespace"},
         "post_processor":null,"decoder":null,
         "model":{"type":"WordLevel","vocab":{"[UNK]":0,"hello":1},"unk_token":"[UNK]"}}
        """,
        StandardCharsets.UTF_8);

    assertThatThrownBy(() -> load(copy, true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("tokenizer.json has no <|notimestamps|>: not a Whisper tokenizer");
  }

  @Test
  void anEncoderThatIsNotWhispersIsRefused() throws Exception {
    Path copy = copyOfFixture("swapped");
    // The decoder where the encoder should be: it has no input_features.
    Files.copy(
        copy.resolve("onnx/decoder_model_merged.onnx"),
        copy.resolve("onnx/encoder_model.onnx"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    assertThatThrownBy(() -> load(copy, true))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("encoder_model.onnx has no input input_features");
  }

  private static Path copyOfFixture(String name) throws Exception {
    Path copy = models.resolve(name);
    Files.createDirectories(copy.resolve("onnx"));
    try (var files = Files.walk(dir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Files.copy(file, copy.resolve(dir.relativize(file).toString()));
      }
    }
    return copy;
  }

  /** {@code seconds} of silence with a 440 Hz tone (amplitude 0.3) between each pair of times. */
  static Pcm16k tones(double seconds, double... fromTo) {
    int n = (int) Math.round(seconds * Pcm16k.SAMPLE_RATE);
    ByteBuffer pcm = ByteBuffer.allocate(2 * n).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      double t = i / (double) Pcm16k.SAMPLE_RATE;
      double value = 0;
      for (int k = 0; k < fromTo.length; k += 2) {
        if (t >= fromTo[k] && t < fromTo[k + 1]) {
          value = 0.3 * Math.sin(2 * Math.PI * 440 * t);
        }
      }
      pcm.putShort((short) Math.round(value * 32767));
    }
    return new Pcm16k(pcm.array());
  }
}
