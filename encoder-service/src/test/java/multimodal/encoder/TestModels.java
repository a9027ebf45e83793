package multimodal.encoder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import multimodal.devkit.onnx.ClipLayoutFixtures;
import multimodal.devkit.onnx.FixtureModels;

/** The generated CLIP fixtures (written once into target/ by the devkit generators) and MiniLM. */
public final class TestModels {
  private static Path clip;
  private static Map<String, Path> layouts;

  private TestModels() {}

  public static synchronized Path clipFixture() {
    if (clip == null) {
      clip = FixtureModels.writeClipFixture(Path.of("target", "test-models")).toAbsolutePath();
    }
    return clip;
  }

  public static Path combinedFixture() {
    return layouts().get(ClipLayoutFixtures.COMBINED).toAbsolutePath();
  }

  public static Path immichFixture() {
    return layouts().get(ClipLayoutFixtures.IMMICH).toAbsolutePath();
  }

  private static synchronized Map<String, Path> layouts() {
    if (layouts == null) {
      layouts = ClipLayoutFixtures.write(Path.of("target", "test-models"));
    }
    return layouts;
  }

  /** all-MiniLM-L6-v2 as unpacked by the build (maven-dependency-plugin, generate-resources). */
  public static Path miniLm() {
    Path dir = Path.of("target", "models", "minilm-l6-v2").toAbsolutePath();
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException(
          dir + " is missing: run the Maven build (generate-resources unpacks it)");
    }
    return dir;
  }
}
