package multimodal.media.video;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Videos made by the tests with Debian's FFmpeg from the shared photographs: one still scene per
 * photograph, each {@code secondsEach} long, so the scene changes are at known times (0, s, 2s, …).
 */
public final class TestVideos {
  /** The shared photographs, from any module directory. */
  public static final Path PHOTOGRAPHS = Path.of("..", "testdata", "images");

  private TestVideos() {}

  /** An H.264 MP4 (moov at the end, FFmpeg's default) of the named photographs. */
  public static byte[] mp4(double secondsEach, String... photographs) {
    return make(
        "mp4",
        List.of("-c:v", "libx264", "-preset", "ultrafast", "-g", "250"),
        secondsEach,
        photographs);
  }

  /** An MP4 whose index comes first ({@code +faststart}), so a cut file still opens. */
  public static byte[] mp4FastStart(double secondsEach, String... photographs) {
    return make(
        "mp4",
        List.of("-c:v", "libx264", "-preset", "ultrafast", "-g", "250", "-movflags", "+faststart"),
        secondsEach,
        photographs);
  }

  /** A VP9 WebM of the named photographs. */
  public static byte[] webm(double secondsEach, String... photographs) {
    return make(
        "webm",
        List.of("-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "300k"),
        secondsEach,
        photographs);
  }

  /**
   * Writes {@code mp4} to {@code target} followed by a top-level {@code free} box of zeros, so the
   * file is {@code size} bytes and still a valid MP4 (demuxers skip free boxes): a video over the
   * image limit made in a moment and never held in memory. Below 4 GiB (32-bit box size).
   */
  public static Path paddedMp4(byte[] mp4, long size, Path target) {
    long padding = size - mp4.length;
    if (padding < 8 || padding > 0xffffffffL) {
      throw new IllegalArgumentException("cannot pad " + mp4.length + " bytes to " + size);
    }
    try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(target), 1 << 16)) {
      out.write(mp4);
      out.write(
          java.nio.ByteBuffer.allocate(8)
              .putInt((int) padding)
              .put("free".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
              .array());
      byte[] zeros = new byte[1 << 16];
      for (long left = padding - 8; left > 0; left -= zeros.length) {
        out.write(zeros, 0, (int) Math.min(zeros.length, left));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return target;
  }

  /** A ZIP archive holding one small text file: what a mislabelled upload looks like. */
  public static byte[] zip() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry("readme.txt"));
      zip.write("not a video".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      zip.closeEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static byte[] make(
      String format, List<String> codec, double secondsEach, String... photographs) {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("test-video-");
      Path out = dir.resolve("video." + format);
      List<String> command = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-loglevel", "error"));
      StringBuilder graph = new StringBuilder();
      for (int i = 0; i < photographs.length; i++) {
        command.addAll(
            List.of(
                "-loop",
                "1",
                "-t",
                String.format(Locale.ROOT, "%.3f", secondsEach),
                "-i",
                PHOTOGRAPHS.resolve(photographs[i]).toString()));
        graph.append("[%d]scale=320:240,setsar=1,fps=10,format=yuv420p[v%d];".formatted(i, i));
      }
      for (int i = 0; i < photographs.length; i++) {
        graph.append("[v").append(i).append(']');
      }
      graph.append("concat=n=%d:v=1:a=0[out]".formatted(photographs.length));
      command.addAll(List.of("-filter_complex", graph.toString(), "-map", "[out]"));
      command.addAll(codec);
      command.add(out.toString());
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String log = new String(process.getInputStream().readAllBytes());
      if (process.waitFor() != 0) {
        throw new IllegalStateException("ffmpeg failed: " + log);
      }
      return Files.readAllBytes(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      if (dir != null) {
        dir.toFile().listFiles(file -> file.delete());
        dir.toFile().delete();
      }
    }
  }
}
