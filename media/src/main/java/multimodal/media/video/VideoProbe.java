package multimodal.media.video;

import static multimodal.media.process.ScratchDirs.seconds;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import multimodal.media.process.BoundedProcess;
import multimodal.media.process.FfmpegInput;

/**
 * What the container says of its first video stream, read by ffprobe before anything is decoded:
 * codec, size and declared length, so over-limit videos are refused without decoding a frame.
 */
final class VideoProbe {
  /** ffprobe's answer is a few lines; more is not ffprobe answering. */
  private static final int MAX_OUTPUT = 64 * 1024;

  record Info(String codec, int width, int height, OptionalLong durationMs) {}

  private VideoProbe() {}

  static Info probe(VideoLimits limits, String type, Path dir, String input, String field) {
    List<String> command = FfmpegInput.probe(limits.ffprobe(), VideoKeyframes.demuxer(type));
    command.addAll(
        List.of(
            "-select_streams",
            "v:0",
            "-show_entries",
            "format=duration:stream=codec_name,width,height,duration",
            "-of",
            "flat",
            input));
    BoundedProcess.Result result =
        BoundedProcess.run(command, dir, limits.decodeTimeout(), MAX_OUTPUT);
    if (result.timedOut()) {
      throw new InvalidVideoException(
          field,
          "reading the container took longer than " + seconds(limits.decodeTimeout().toMillis()));
    }
    if (!result.ok()) {
      throw new InvalidVideoException(
          field,
          type
              + " does not decode: "
              + VideoKeyframes.toolError(result, input, "ffprobe exit " + result.exitCode()));
    }
    Map<String, String> values =
        parseFlat(new String(result.stdout(), java.nio.charset.StandardCharsets.UTF_8));
    String codec = values.get("streams.stream.0.codec_name");
    if (codec == null) {
      throw new InvalidVideoException(field, "the file holds no video stream");
    }
    int width = parseInt(values.get("streams.stream.0.width"));
    int height = parseInt(values.get("streams.stream.0.height"));
    long duration =
        Math.max(
            millis(values.get("streams.stream.0.duration")), millis(values.get("format.duration")));
    return new Info(
        codec, width, height, duration >= 0 ? OptionalLong.of(duration) : OptionalLong.empty());
  }

  /** ffprobe's {@code flat} writer: {@code key="value"} or {@code key=value}, one a line. */
  static Map<String, String> parseFlat(String output) {
    Map<String, String> values = new HashMap<>();
    for (String line : output.split("\n")) {
      int eq = line.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String value = line.substring(eq + 1).strip();
      if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
        value = value.substring(1, value.length() - 1);
      }
      values.put(line.substring(0, eq).strip(), value);
    }
    return values;
  }

  private static int parseInt(String value) {
    try {
      return value == null ? 0 : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Seconds as ffprobe writes them, in milliseconds; -1 for "N/A" and absent values. */
  private static long millis(String seconds) {
    if (seconds == null) {
      return -1;
    }
    try {
      return Math.round(Double.parseDouble(seconds) * 1000);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
