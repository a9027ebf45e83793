package multimodal.media.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One file in a private temporary directory, removed with the directory on {@link #close}: where a
 * worker fetches a large audio or video file for FFmpeg to read, so the bytes never sit in the
 * heap. Whoever holds it closes it once the decoders are done with it.
 */
public final class ScratchFile implements AutoCloseable {
  private final Path dir;
  private final Path file;

  private ScratchFile(Path dir) {
    this.dir = dir;
    this.file = dir.resolve("input");
  }

  /**
   * A new empty scratch location; the file itself does not exist until written.
   *
   * @param prefix names the directory, e.g. {@code video-fetch-}
   */
  public static ScratchFile create(String prefix) {
    try {
      return new ScratchFile(Files.createTempDirectory(prefix));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a scratch directory", e);
    }
  }

  /** The file's path (in a directory only this process writes). */
  public Path path() {
    return file;
  }

  /** Removes the file and its directory; a leftover is not worth failing an item for. */
  @Override
  public void close() {
    ScratchDirs.deleteQuietly(dir);
  }
}
