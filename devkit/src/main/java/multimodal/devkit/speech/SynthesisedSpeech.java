package multimodal.devkit.speech;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Speech made by the tests from sentences they choose: Festival's {@code text2wave} with the {@code
 * cmu_us_slt_arctic_hts} voice (Debian {@code festival}, {@code festvox-us-slt-hts}), resampled to
 * 16 kHz mono by FFmpeg, and re-encoded to the other audio types.
 */
public final class SynthesisedSpeech {
  /** Silence between sentences of one clip, so the recogniser hears separate utterances. */
  public static final double PAUSE_SECONDS = 1.5;

  private SynthesisedSpeech() {}

  /** One sentence as a 16 kHz mono 16-bit WAV file in {@code dir}. */
  public static Path sentence(String text, Path dir, String name) throws IOException {
    Path txt = dir.resolve(name + ".txt");
    Files.writeString(txt, text + "\n", StandardCharsets.UTF_8);
    Path voice = dir.resolve(name + ".voice.wav");
    run(
        "text2wave",
        "-eval",
        "(voice_cmu_us_slt_arctic_hts)",
        txt.toString(),
        "-o",
        voice.toString());
    Path wav = dir.resolve(name + ".wav");
    ffmpeg(
        "-i",
        voice.toString(),
        "-ar",
        "16000",
        "-ac",
        "1",
        "-c:a",
        "pcm_s16le",
        "-bitexact",
        wav.toString());
    return wav;
  }

  /**
   * Several sentences in one 16 kHz mono WAV, {@link #PAUSE_SECONDS} of silence before each but the
   * first.
   */
  public static Path sentences(List<String> texts, Path dir, String name) throws IOException {
    List<String> args = new ArrayList<>();
    StringBuilder graph = new StringBuilder();
    int inputs = 0;
    for (int i = 0; i < texts.size(); i++) {
      Path one = sentence(texts.get(i), dir, name + "-" + i);
      if (i > 0) {
        args.addAll(
            List.of(
                "-f",
                "lavfi",
                "-t",
                Double.toString(PAUSE_SECONDS),
                "-i",
                "anullsrc=r=16000:cl=mono"));
        graph.append('[').append(inputs++).append(":a]");
      }
      args.addAll(List.of("-i", one.toString()));
      graph.append('[').append(inputs++).append(":a]");
    }
    graph.append("concat=n=").append(inputs).append(":v=0:a=1");
    Path wav = dir.resolve(name + ".wav");
    args.addAll(
        List.of(
            "-filter_complex",
            graph.toString(),
            "-ar",
            "16000",
            "-ac",
            "1",
            "-c:a",
            "pcm_s16le",
            "-bitexact",
            wav.toString()));
    ffmpeg(args.toArray(String[]::new));
    return wav;
  }

  /**
   * The WAV file re-encoded: {@code mp3}, {@code opus} (Ogg), {@code vorbis} (Ogg) or {@code flac}.
   */
  public static Path encode(Path wav, String codec) throws IOException {
    String base = wav.getFileName().toString().replace(".wav", "");
    Path out =
        wav.resolveSibling(
            base
                + switch (codec) {
                  case "mp3" -> ".mp3";
                  case "opus" -> ".opus.ogg";
                  case "vorbis" -> ".vorbis.ogg";
                  case "flac" -> ".flac";
                  default -> throw new IllegalArgumentException(codec);
                });
    List<String> args = new ArrayList<>(List.of("-i", wav.toString()));
    switch (codec) {
      case "opus" -> args.addAll(List.of("-c:a", "libopus"));
      case "vorbis" -> args.addAll(List.of("-c:a", "libvorbis"));
      default -> {}
    }
    args.add(out.toString());
    ffmpeg(args.toArray(String[]::new));
    return out;
  }

  /**
   * A video of one still picture with the WAV file as its sound track, as long as the speech:
   * {@code mp4} (H.264 + AAC, the index at the end as FFmpeg writes it by default) or {@code webm}
   * (VP9 + Opus). The picture is scaled to 320 pixels wide so that encoding stays quick.
   */
  public static Path video(Path wav, Path still, String container) throws IOException {
    Path out =
        wav.resolveSibling(wav.getFileName().toString().replace(".wav", "") + "." + container);
    List<String> args =
        new ArrayList<>(
            List.of("-loop", "1", "-framerate", "2", "-i", still.toString(), "-i", wav.toString()));
    args.addAll(videoCodecs(container, true));
    args.addAll(List.of("-shortest", out.toString()));
    ffmpeg(args.toArray(String[]::new));
    return out;
  }

  /** A video of one still picture without any audio stream, {@code seconds} long. */
  public static Path silentVideo(
      Path still, double seconds, Path dir, String name, String container) throws IOException {
    Path out = dir.resolve(name + "." + container);
    List<String> args =
        new ArrayList<>(
            List.of(
                "-loop",
                "1",
                "-framerate",
                "2",
                "-i",
                still.toString(),
                "-t",
                String.format(Locale.ROOT, "%.3f", seconds)));
    args.addAll(videoCodecs(container, false));
    args.add(out.toString());
    ffmpeg(args.toArray(String[]::new));
    return out;
  }

  private static List<String> videoCodecs(String container, boolean audio) {
    List<String> args = new ArrayList<>(List.of("-vf", "scale=320:-2,format=yuv420p"));
    switch (container) {
      case "mp4" -> args.addAll(List.of("-c:v", "libx264", "-preset", "ultrafast"));
      case "webm" -> args.addAll(List.of("-c:v", "libvpx-vp9", "-deadline", "realtime"));
      default -> throw new IllegalArgumentException(container);
    }
    if (audio) {
      args.addAll(List.of("-c:a", "mp4".equals(container) ? "aac" : "libopus"));
    } else {
      args.add("-an");
    }
    return args;
  }

  private static void ffmpeg(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error", "-y"));
    command.addAll(List.of(args));
    run(command.toArray(String[]::new));
  }

  private static void run(String... command) throws IOException {
    Process process =
        new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
            .redirectErrorStream(true)
            .start();
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IOException(String.join(" ", command) + " failed: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
