package multimodal.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import multimodal.devkit.pods.EnvironmentCheck;
import multimodal.devkit.pods.PlatformManifests;
import org.junit.jupiter.api.Test;

/**
 * Every env var the Kubernetes base gives a service configures something in that service's build
 * (read from target/quarkus-app, so the services must be packaged first, as the reactor does).
 */
class ManifestEnvironmentTest {
  private static final Path ROOT =
      Path.of(System.getProperty("platform.root", "..")).toAbsolutePath().normalize();
  private static final List<String> BASE_FILES =
      List.of(
          "config.yaml",
          "encoder-service.yaml",
          "generator-service.yaml",
          "retrieval-service.yaml",
          "gateway.yaml");

  @Test
  void everyEnvVarOfTheBaseConfiguresItsService() throws IOException {
    assertThat(new EnvironmentCheck(ROOT).problems(PlatformManifests.parse(base()))).isEmpty();
  }

  @Test
  void aMisspeltKeyIsReportedWithTheServiceThatIgnoresIt() throws IOException {
    String misspelt = base().replace("name: GATEWAY_BLOBS_DIR,", "name: GATEWAY_BLOB_DIR,");
    assertThat(new EnvironmentCheck(ROOT).problems(PlatformManifests.parse(misspelt)))
        .containsExactly(
            "Deployment gateway: GATEWAY_BLOB_DIR names no configuration key of gateway");
  }

  @Test
  void aBuildTimeKeySetAtRunTimeIsReported() throws IOException {
    String buildTime =
        base()
            .replace(
                "- {name: RETRIEVAL_INDEX_DIR,",
                "- {name: QUARKUS_HTTP_ROOT_PATH, value: /api}\n"
                    + "            - {name: RETRIEVAL_INDEX_DIR,");
    assertThat(new EnvironmentCheck(ROOT).problems(PlatformManifests.parse(buildTime)))
        .singleElement()
        .asString()
        .contains("QUARKUS_HTTP_ROOT_PATH", "quarkus.http.root-path", "build time");
  }

  private static String base() throws IOException {
    StringBuilder yaml = new StringBuilder();
    for (String file : BASE_FILES) {
      yaml.append("---\n")
          .append(Files.readString(ROOT.resolve("k8s/base").resolve(file)))
          .append('\n');
    }
    return yaml.toString();
  }
}
