package multimodal.media.process;

import java.util.ArrayList;
import java.util.List;

/**
 * The start of every FFmpeg command the platform runs on untrusted media: no terminal input, errors
 * only (the first line is the reason a caller reports), stop at the first decoding error, the file
 * protocol only (a crafted playlist or reference cannot make FFmpeg open a URL), one decoding
 * thread, and the demuxer named by the caller from the declared content type, never guessed from
 * the bytes. One place, so the audio and video decoders cannot drift apart on these guarantees.
 */
public final class FfmpegInput {
  private FfmpegInput() {}

  /**
   * {@code ffmpeg} with the strict options above, reading {@code input} with {@code demuxer}; the
   * caller appends the output options.
   */
  public static List<String> command(String ffmpeg, String demuxer, String input) {
    return new ArrayList<>(
        List.of(
            ffmpeg,
            "-nostdin",
            "-hide_banner",
            "-loglevel",
            "error",
            "-xerror",
            "-protocol_whitelist",
            "file",
            "-threads",
            "1",
            "-f",
            demuxer,
            "-i",
            input));
  }

  /**
   * {@code ffprobe} with the same guarantees (errors only, the file protocol only, the demuxer
   * named by the caller); the caller appends the streams, entries and output format it wants.
   */
  public static List<String> probe(String ffprobe, String demuxer) {
    return new ArrayList<>(
        List.of(ffprobe, "-v", "error", "-protocol_whitelist", "file", "-f", demuxer));
  }
}
