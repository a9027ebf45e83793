package multimodal.generator.bench;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import multimodal.devkit.onnx.WhisperFixture;
import multimodal.devkit.speech.SynthesisedSpeech;
import multimodal.devkit.speech.WordErrorRate;
import multimodal.generator.inference.speech.AudioDecoder;
import multimodal.generator.inference.speech.AudioLimits;
import multimodal.generator.inference.speech.Pcm16k;
import multimodal.generator.inference.speech.PocketSphinxRecognizer;
import multimodal.generator.inference.speech.Transcript;
import multimodal.generator.inference.speech.WhisperRecognizer;

/**
 * Benchmark (a main, not a test) of the speech path as the generator's speech consumer runs it:
 * FFmpeg decoding (ffprobe + ffmpeg processes) of a clip to 16 kHz mono PCM, then PocketSphinx's
 * command-line tool (model load included, once per clip, as in the service). The clip is speech
 * Festival synthesises from the sentences below, one clip of all of them with 1.5 s pauses, as WAV
 * and as Ogg Opus. Prints the real-time factor (processing seconds per audio second; below 1 is
 * faster than real time) of decoding, of recognition and of both, the median of the repeats, and
 * the word error rate.
 *
 * <p>Then {@link WhisperRecognizer} on the decoded WAV clip, with the KV cache and recomputing: the
 * real-time factor of the log-mel front end, the encoder and the greedy decoding loop over 30 s
 * windows. Without a Whisper export directory it runs devkit's Whisper fixture, whose figures are
 * the pipeline's own cost (a 3000-frame log-mel per window, tiny graphs), not a real Whisper's
 * compute; its transcript is the fixture's and has no WER.
 *
 * <p>Usage: {@code SpeechBenchmark [repeats] [whisper export dir]} (default 5, the fixture). Needs
 * ffmpeg, pocketsphinx, pocketsphinx-en-us, festival and festvox-us-slt-hts.
 */
public final class SpeechBenchmark {
  private static final List<String> SENTENCES =
      List.of(
          "The weather is sunny and warm today.",
          "My daughter plays the piano every evening.",
          "She bought fresh bread and cheese at the market.",
          "The quick brown fox jumps over the lazy dog.",
          "We will meet at the train station at noon.",
          "The museum opens its new gallery next week.");

  private SpeechBenchmark() {}

  public static void main(String[] args) throws Exception {
    int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    Path dir = Files.createTempDirectory("speech-bench-");
    Path wav = SynthesisedSpeech.sentences(SENTENCES, dir, "bench");
    Path opus = SynthesisedSpeech.encode(wav, "opus");
    AudioDecoder decoder =
        new AudioDecoder(
            new AudioLimits(Duration.ofMinutes(10), Duration.ofSeconds(60), "ffmpeg", "ffprobe"));
    PocketSphinxRecognizer recognizer =
        new PocketSphinxRecognizer(
            new PocketSphinxRecognizer.Settings(
                "pocketsphinx_continuous",
                Path.of("/usr/share/pocketsphinx/model/en-us"),
                Duration.ofMinutes(5)),
            PocketSphinxRecognizer.debianVersion());
    System.out.printf(
        Locale.ROOT,
        "speech benchmark: %d sentences, %s %s, %d cores, load average %.1f%n",
        SENTENCES.size(),
        recognizer.info().name(),
        recognizer.info().version(),
        Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    String reference = String.join(" ", SENTENCES);
    for (Path file : List.of(wav, opus)) {
      String type = file.toString().endsWith(".ogg") ? "audio/ogg" : "audio/wav";
      byte[] bytes = Files.readAllBytes(file);
      List<Double> decodeRtf = new ArrayList<>();
      List<Double> recognizeRtf = new ArrayList<>();
      List<Double> totalRtf = new ArrayList<>();
      List<Double> cpuRtf = new ArrayList<>();
      Transcript last = null;
      long audioMs = 0;
      for (int i = 0; i < repeats; i++) {
        long cpuBefore = childCpuMillis();
        long start = System.nanoTime();
        Pcm16k pcm = decoder.decode(bytes, type, "data.bytes");
        long decoded = System.nanoTime();
        last = recognizer.transcribe(pcm);
        long end = System.nanoTime();
        audioMs = pcm.durationMillis();
        decodeRtf.add((decoded - start) / 1e6 / audioMs);
        recognizeRtf.add((end - decoded) / 1e6 / audioMs);
        totalRtf.add((end - start) / 1e6 / audioMs);
        cpuRtf.add((double) (childCpuMillis() - cpuBefore) / audioMs);
      }
      double wer =
          (double) WordErrorRate.errors(reference, last.text())
              / WordErrorRate.wordCount(reference);
      System.out.printf(
          Locale.ROOT,
          "%-10s %5.1f s audio, %d bytes: real-time factor decode %.3f, recognise %.3f, total %.3f,"
              + " total in CPU time %.3f (median of %d); WER %.1f %%, %d segments%n",
          type,
          audioMs / 1000.0,
          bytes.length,
          median(decodeRtf),
          median(recognizeRtf),
          median(totalRtf),
          median(cpuRtf),
          repeats,
          100 * wer,
          last.segments().size());
    }
    Pcm16k pcm = decoder.decode(Files.readAllBytes(wav), "audio/wav", "data.bytes");
    Path whisperDir =
        args.length > 1 ? Path.of(args[1]) : WhisperFixture.write(dir.resolve("models"));
    for (boolean useCache : List.of(true, false)) {
      try (WhisperRecognizer whisper =
          WhisperRecognizer.load(
              whisperDir,
              OrtEnvironment.getEnvironment(),
              new OrtSession.SessionOptions(),
              new WhisperRecognizer.Settings(Duration.ofMinutes(10), useCache, 224))) {
        List<Double> rtf = new ArrayList<>();
        Transcript heard = null;
        for (int i = 0; i < repeats; i++) {
          long start = System.nanoTime();
          heard = whisper.transcribe(pcm);
          rtf.add((System.nanoTime() - start) / 1e6 / pcm.durationMillis());
        }
        String quality =
            whisper.info().fixture()
                ? "fixture: the pipeline's cost, not a real Whisper's; its transcript: "
                    + heard.text()
                : "WER %.1f %%"
                    .formatted(
                        100.0
                            * WordErrorRate.errors(reference, heard.text())
                            / WordErrorRate.wordCount(reference));
        System.out.printf(
            Locale.ROOT,
            "whisper %s %s, %5.1f s audio: real-time factor recognise %.3f (median of %d); %s%n",
            whisper.info().version(),
            whisper.cached() ? "KV cache" : "recomputing",
            pcm.durationMillis() / 1000.0,
            median(rtf),
            repeats,
            quality);
      }
    }
  }

  /**
   * User + system CPU of this process's reaped children (the FFmpeg and PocketSphinx processes), in
   * milliseconds: fields 16 and 17 of /proc/self/stat, in clock ticks of 10 ms.
   */
  private static long childCpuMillis() throws java.io.IOException {
    String stat = Files.readString(Path.of("/proc/self/stat"));
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[13]) + Long.parseLong(fields[14])) * 10;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }
}
