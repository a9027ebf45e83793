package multimodal.devkit.onnx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Map;

/**
 * Writes the generated fixture models into a folder.
 *
 * <p>Usage: {@code java -cp <devkit classpath> multimodal.devkit.onnx.FixtureModels <outDir>}
 * writes {@code <outDir>/clip-fixture/}. Files whose bytes are already right are left alone, so
 * rerunning is cheap and never disturbs a running service; changed files are replaced atomically.
 */
public final class FixtureModels {
  public static final String CLIP_FIXTURE = "clip-fixture";

  private FixtureModels() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: FixtureModels <outDir>   (writes <outDir>/" + CLIP_FIXTURE + "/)");
      System.exit(2);
    }
    Path dir = writeClipFixture(Path.of(args[0]));
    System.out.println("CLIP colour-and-shape fixture ready in " + dir.toAbsolutePath());
  }

  /** Writes (or refreshes) {@code <outDir>/clip-fixture/} and returns that directory. */
  public static Path writeClipFixture(Path outDir) {
    Path dir = outDir.resolve(CLIP_FIXTURE);
    writeIfChanged(dir, new ColourClipFixture().files());
    return dir;
  }

  private static void readableByAll(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: its defaults apply
    }
  }

  static void writeIfChanged(Path dir, Map<String, byte[]> files) {
    try {
      for (Map.Entry<String, byte[]> file : files.entrySet()) {
        Path target = dir.resolve(file.getKey());
        if (Files.isRegularFile(target)
            && Arrays.equals(Files.readAllBytes(target), file.getValue())) {
          continue;
        }
        Files.createDirectories(target.getParent());
        Path temp = Files.createTempFile(target.getParent(), ".fixture", ".tmp");
        Files.write(temp, file.getValue());
        readableByAll(temp); // temp files start as 0600
        Files.move(
            temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write fixture models to " + dir, e);
    }
  }
}
