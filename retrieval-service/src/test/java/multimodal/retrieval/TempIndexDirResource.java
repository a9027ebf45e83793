package multimodal.retrieval;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/** A fresh index directory per application boot, deleted afterwards. */
public class TempIndexDirResource implements QuarkusTestResourceLifecycleManager {
  private Path dir;

  @Override
  public Map<String, String> start() {
    try {
      dir = Files.createTempDirectory("retrieval-index-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Map.of("retrieval.index.dir", dir.toString());
  }

  @Override
  public void stop() {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
