package multimodal.generator.speech;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.quarkus.logging.Log;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import multimodal.generator.config.GeneratorConfig;
import multimodal.generator.inference.speech.AudioDecoder;
import multimodal.generator.inference.speech.AudioLimits;
import multimodal.generator.inference.speech.PocketSphinxRecognizer;
import multimodal.generator.inference.speech.SpeechRecognizer;
import multimodal.generator.inference.speech.WhisperRecognizer;
import multimodal.media.process.BoundedProcess;

/**
 * The speech path's decoder and recogniser ({@code generator.speech.recognizer}: PocketSphinx or a
 * Whisper ONNX export), or the reason it is off. Off when {@code generator.speech.enabled=false},
 * or when FFmpeg or the recogniser's model is not there: then the generator-speech channel stays
 * paused (its offsets stay put, so installing them later transcribes the backlog) and a warning
 * says what is missing.
 */
@Singleton
public class SpeechEngine {
  /** What the consumer needs. */
  public record Ready(AudioDecoder decoder, SpeechRecognizer recognizer) {}

  private final Optional<Ready> ready;
  private final String offReason;

  public SpeechEngine(GeneratorConfig config) {
    GeneratorConfig.Speech speech = config.speech();
    Ready loaded = null;
    String reason = "";
    if (!speech.enabled()) {
      reason = "generator.speech.enabled=false";
    } else {
      try {
        requireTool(speech.ffmpeg());
        requireTool(speech.ffprobe());
        SpeechRecognizer recognizer = recognizer(speech);
        AudioDecoder decoder =
            new AudioDecoder(
                new AudioLimits(
                    speech.maxDuration(),
                    speech.decodeTimeout(),
                    speech.ffmpeg(),
                    speech.ffprobe(),
                    speech.maxBytes()));
        loaded = new Ready(decoder, recognizer);
        Log.infof(
            "speech on: %s %s, audio up to %s",
            recognizer.info().name(), recognizer.info().version(), speech.maxDuration());
      } catch (IllegalStateException e) {
        reason = e.getMessage();
        Log.warnf(
            "speech off, audio items are not transcribed (the generator-speech group waits): %s;"
                + " install Debian's ffmpeg (and pocketsphinx and pocketsphinx-en-us, or set"
                + " generator.speech.recognizer=whisper with generator.speech.whisper.dir), or set"
                + " generator.speech.enabled=false",
            reason);
      }
    }
    this.ready = Optional.ofNullable(loaded);
    this.offReason = reason;
  }

  public Optional<Ready> ready() {
    return ready;
  }

  /** Why speech is off; empty when it is on. */
  public String offReason() {
    return offReason;
  }

  /** The configured recogniser; IllegalStateException says what is missing or unknown. */
  private static SpeechRecognizer recognizer(GeneratorConfig.Speech speech) {
    switch (speech.recognizer()) {
      case "pocketsphinx" -> {
        return new PocketSphinxRecognizer(
            new PocketSphinxRecognizer.Settings(
                speech.pocketsphinx(), speech.modelDir(), speech.recognizeTimeout()),
            PocketSphinxRecognizer.debianVersion());
      }
      case WhisperRecognizer.NAME -> {
        Path dir =
            speech
                .whisper()
                .dir()
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            "generator.speech.recognizer=whisper needs"
                                + " generator.speech.whisper.dir"));
        try {
          return WhisperRecognizer.load(
              dir,
              OrtEnvironment.getEnvironment(),
              new OrtSession.SessionOptions(),
              new WhisperRecognizer.Settings(
                  speech.recognizeTimeout(), speech.whisper().useCache(), 224));
        } catch (OrtException | IOException e) {
          throw new IllegalStateException("cannot load Whisper from " + dir + ": " + e, e);
        }
      }
      default ->
          throw new IllegalStateException(
              "generator.speech.recognizer="
                  + speech.recognizer()
                  + " is not one of pocketsphinx, whisper");
    }
  }

  private static void requireTool(String executable) {
    BoundedProcess.Result result =
        BoundedProcess.run(List.of(executable, "-version"), Duration.ofSeconds(30), 64 * 1024);
    if (!result.ok()) {
      throw new IllegalStateException(executable + " -version failed: " + result.firstErrorLine());
    }
  }
}
