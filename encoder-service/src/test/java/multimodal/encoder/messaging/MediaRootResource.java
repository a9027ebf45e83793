package multimodal.encoder.messaging;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A temporary folder that the encoder may read {@code file:} URIs from ({@code
 * encoder.fetch.file-root}), as a deployment with a shared media volume configures it.
 */
public class MediaRootResource implements QuarkusTestResourceLifecycleManager {
  private static Path root;

  @Override
  public Map<String, String> start() {
    try {
      root = Files.createTempDirectory("encoder-media-root");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Map.of("encoder.fetch.file-root", root.toString());
  }

  /** Writes {@code bytes} under the allowed root and returns its {@code file:} URI. */
  static String put(String name, byte[] bytes) throws IOException {
    return Files.write(root.resolve(name), bytes).toUri().toString();
  }

  @Override
  public void stop() {
    // The folder is left for the OS to clean: tests may still be reading when Quarkus stops.
  }
}
