package multimodal.media.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * What the subprocess decoders (video keyframes, audio) share around a decode: the private
 * directory they work in is removed afterwards, and times in their refusals read alike.
 */
public final class ScratchDirs {
  private ScratchDirs() {}

  /** Removes {@code dir} and everything in it; a leftover file is not worth failing an item for. */
  public static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // Best effort: the directory is private and under the system's temporary directory.
    }
  }

  /** A time as the decoders' messages write it: {@code 12.5 s}. */
  public static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
  }
}
