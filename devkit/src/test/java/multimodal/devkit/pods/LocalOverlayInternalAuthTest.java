package multimodal.devkit.pods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The local pod run gives all four services the same internal-auth key: every service container of
 * {@code k8s/overlays/local} reads {@code MULTIMODAL_INTERNAL_AUTH_KEY} from the one Secret {@code
 * multimodal-internal-auth}, which {@link LocalPlatform#up} creates with a fresh random value for
 * each key the manifests read. Needs kubectl (it renders the overlay as {@code bin/pods} does).
 */
class LocalOverlayInternalAuthTest {
  private static final Path OVERLAY = Path.of("../k8s/overlays/local");

  @Test
  void everyServiceReadsTheSharedKeyFromOneSecret() {
    assumeTrue(kubectlInstalled(), "kubectl is not installed");
    PlatformManifests manifests = PlatformManifests.render(OVERLAY);

    assertThat(manifests.containers())
        .filteredOn(container -> !container.deployment().equals("kafka"))
        .extracting(PlatformManifests.Container::deployment)
        .containsExactlyInAnyOrder(
            "gateway", "encoder-service", "generator-service", "retrieval-service");
    assertThat(manifests.containers())
        .filteredOn(container -> !container.deployment().equals("kafka"))
        .allSatisfy(
            container ->
                assertThat(container.envNames())
                    .as(container.deployment())
                    .contains("MULTIMODAL_INTERNAL_AUTH_KEY"));
    assertThat(manifests.secretNames()).contains("multimodal-internal-auth");
    assertThat(manifests.secretKeys("multimodal-internal-auth")).containsExactly("key");
  }

  private static boolean kubectlInstalled() {
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.of(path.split(java.io.File.pathSeparator))
        .anyMatch(dir -> Files.isExecutable(Path.of(dir, "kubectl")));
  }
}
