package multimodal.media.corpus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the accepted images of the shared corpus to a folder, one file per case under its name, so
 * that {@code media/scripts/pillow_rgb_hashes.py} can decode them with Pillow and write the golden
 * file {@code PillowGoldenTest} checks against (see media/README.md). A main, not a test.
 */
public final class ExportCorpus {
  private ExportCorpus() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: ExportCorpus OUTPUT_DIR");
      System.exit(2);
    }
    Path out = Files.createDirectories(Path.of(args[0]));
    for (ImageCorpus.Case c : ImageCorpus.cases()) {
      if (c.expected().accepted()) {
        Files.write(out.resolve(c.name()), c.bytes());
      }
    }
  }
}
