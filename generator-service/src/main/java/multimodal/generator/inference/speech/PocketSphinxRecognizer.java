package multimodal.generator.inference.speech;

import static multimodal.media.process.ScratchDirs.seconds;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import multimodal.media.process.BoundedProcess;

/**
 * CMU PocketSphinx (Debian's {@code pocketsphinx} 0.8+5prealpha with the {@code pocketsphinx-en-us}
 * acoustic model, language model and dictionary) through its command-line tool, {@code
 * pocketsphinx_continuous -infile <raw pcm> -time yes}: one process per clip, killed at the time
 * limit (docs/adr/0017 says why the tool and not the C library). The clip goes in as a headerless
 * 16 kHz mono 16-bit file (the tool checks a header only for names ending {@code .wav}), and words
 * come back with their times and posteriors ({@link PocketSphinxOutput}).
 */
public final class PocketSphinxRecognizer implements SpeechRecognizer {
  /**
   * @param executable {@code pocketsphinx_continuous} (a name on the PATH or a path)
   * @param modelDir the folder holding the acoustic model ({@code en-us/}), the language model
   *     ({@code en-us.lm.bin}) and the dictionary ({@code cmudict-en-us.dict}); Debian's is {@code
   *     /usr/share/pocketsphinx/model/en-us}
   * @param timeout longest one clip may take; the limit grows with the clip (see {@link
   *     #timeoutFor})
   */
  public record Settings(String executable, Path modelDir, Duration timeout) {}

  private final Settings settings;
  private final RecognizerInfo info;

  /**
   * @param version what the transcript events name as the recogniser's version (the packages'
   *     version, see {@link #debianVersion})
   * @throws IllegalStateException when the model files are missing
   */
  public PocketSphinxRecognizer(Settings settings, String version) {
    for (Path required : List.of(hmm(settings), lm(settings), dict(settings))) {
      if (!Files.exists(required)) {
        throw new IllegalStateException(
            "PocketSphinx model file missing: "
                + required
                + " (install Debian's pocketsphinx-en-us, or set generator.speech.model-dir)");
      }
    }
    this.settings = settings;
    this.info = new RecognizerInfo("pocketsphinx-en-us", version, "en-US", false);
  }

  @Override
  public RecognizerInfo info() {
    return info;
  }

  @Override
  public Transcript transcribe(Pcm16k audio) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("speech-");
      Path raw = dir.resolve("clip.raw");
      Files.write(raw, audio.samples());
      List<String> command = new ArrayList<>();
      command.addAll(
          List.of(
              settings.executable(),
              "-infile",
              raw.toString(),
              "-time",
              "yes",
              "-samprate",
              Integer.toString(Pcm16k.SAMPLE_RATE),
              "-hmm",
              hmm(settings).toString(),
              "-lm",
              lm(settings).toString(),
              "-dict",
              dict(settings).toString(),
              "-logfn",
              "/dev/null"));
      Duration timeout = timeoutFor(audio);
      BoundedProcess.Result result = BoundedProcess.run(command, timeout, 16L * 1024 * 1024);
      if (result.timedOut()) {
        throw new SpeechRecognitionException(
            "speech recognition took longer than %d s for %s of audio"
                .formatted(timeout.toSeconds(), seconds(audio.durationMillis())));
      }
      if (!result.ok()) {
        throw new SpeechRecognitionException(
            "pocketsphinx_continuous failed (exit %d): %s"
                .formatted(result.exitCode(), result.firstErrorLine()));
      }
      return PocketSphinxOutput.parse(
          new String(result.stdout(), StandardCharsets.UTF_8), audio.durationMillis());
    } catch (IOException e) {
      throw new UncheckedIOException("temporary audio file", e);
    } finally {
      deleteQuietly(dir);
    }
  }

  /** The configured timeout, or twice the clip's length when that is longer. */
  Duration timeoutFor(Pcm16k audio) {
    Duration scaled = Duration.ofMillis(audio.durationMillis() * 2);
    return scaled.compareTo(settings.timeout()) > 0 ? scaled : settings.timeout();
  }

  /**
   * The installed {@code pocketsphinx-en-us} package's version ({@code dpkg-query}), or {@code
   * unknown} where there is no dpkg (the model was installed otherwise).
   */
  public static String debianVersion() {
    try {
      BoundedProcess.Result result =
          BoundedProcess.run(
              List.of("dpkg-query", "-W", "-f", "${Version}", "pocketsphinx-en-us"),
              Duration.ofSeconds(10),
              4096);
      String version = new String(result.stdout(), StandardCharsets.UTF_8).strip();
      return result.ok() && !version.isEmpty() ? version : "unknown";
    } catch (IllegalStateException e) {
      return "unknown";
    }
  }

  private static Path hmm(Settings settings) {
    return settings.modelDir().resolve("en-us");
  }

  private static Path lm(Settings settings) {
    return settings.modelDir().resolve("en-us.lm.bin");
  }

  private static Path dict(Settings settings) {
    return settings.modelDir().resolve("cmudict-en-us.dict");
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try {
      Files.deleteIfExists(dir.resolve("clip.raw"));
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // A leftover temporary file is not worth failing the clip for.
    }
  }
}
