package multimodal.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import multimodal.devkit.pods.EnvironmentCheck;
import multimodal.devkit.pods.PlatformManifests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every overlay renders with kubectl kustomize, every built-in object parses strictly into
 * fabric8's typed model, every KEDA/Strimzi object validates against its vendored CRD schema, and
 * every env var configures the service it is given to.
 */
class K8sOverlaysTest {
  private static final CrdSchemas CRDS = CrdSchemas.load(RenderedOverlay.ROOT.resolve("k8s/crds"));

  /**
   * The kustomization fields Debian's kubectl 1.20 (kustomize v2) understands and the overlays use.
   */
  private static final Set<String> KUSTOMIZE_V2_FIELDS =
      Set.of("apiVersion", "kind", "bases", "resources", "images", "patchesStrategicMerge");

  @ParameterizedTest
  @ValueSource(strings = {"local", "local-networks", "production", "gpu"})
  void everyObjectIsBuiltInAndStrictOrACustomResourceValidByItsSchema(String overlay) {
    assertThat(problems(RenderedOverlay.of(overlay))).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "local-networks", "production", "gpu"})
  void everyEnvVarConfiguresItsService(String overlay) {
    PlatformManifests manifests = PlatformManifests.parse(RenderedOverlay.of(overlay).yaml());
    assertThat(new EnvironmentCheck(RenderedOverlay.ROOT).problems(manifests)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"local", "local-networks", "production", "gpu"})
  void kustomizationUsesOnlyWhatKustomizeV2Renders(String overlay) throws IOException {
    JsonNode kustomization =
        new ObjectMapper(new YAMLFactory())
            .readTree(
                RenderedOverlay.ROOT
                    .resolve("k8s/overlays")
                    .resolve(overlay)
                    .resolve("kustomization.yaml")
                    .toFile());
    List<String> fields = new ArrayList<>();
    kustomization.fieldNames().forEachRemaining(fields::add);
    assertThat(fields).isSubsetOf(KUSTOMIZE_V2_FIELDS);
  }

  @Test
  void aMisspeltFieldOfABuiltInObjectIsRefused() {
    String yaml = changed("readOnlyRootFilesystem:", "readOnlyRootFileSystem:");
    assertThat(problems(RenderedOverlay.parse("production", yaml)))
        .isNotEmpty()
        .allMatch(p -> p.contains("readOnlyRootFileSystem: no such field in SecurityContext"));
  }

  @Test
  void aMisspeltOrMistypedFieldOfACustomResourceIsRefused() {
    String misspelt = changed("maxReplicaCount:", "maxReplicas:");
    assertThat(problems(RenderedOverlay.parse("production", misspelt)))
        .anyMatch(p -> p.contains("ScaledObject encoder-service"));
    String mistyped = changed("partitions: 12", "partitions: twelve");
    assertThat(problems(RenderedOverlay.parse("production", mistyped)))
        .anyMatch(p -> p.contains("KafkaTopic media-ingest-v1"));
    String unknown = changed("  roles:\n", "  rolez:\n");
    assertThat(problems(RenderedOverlay.parse("production", unknown)))
        .anyMatch(p -> p.contains("rolez"));
  }

  @Test
  void theCrdsAreVendoredWithTheirSource() {
    Path readme = RenderedOverlay.ROOT.resolve("k8s/crds/README.md");
    assertThat(readme)
        .content()
        .contains("keda.sh_scaledobjects.yaml", "040-Crd-kafka.yaml", "Apache License 2.0");
  }

  /** The rendered production overlay with one change (which must apply). */
  private static String changed(String from, String to) {
    String yaml = RenderedOverlay.of("production").yaml();
    assertThat(yaml).contains(from);
    return yaml.replace(from, to);
  }

  static List<String> problems(RenderedOverlay overlay) {
    List<String> problems = new ArrayList<>();
    for (JsonNode object : overlay.objects()) {
      String name = object.path("kind").asText() + " " + object.at("/metadata/name").asText();
      List<String> found;
      if (StrictKubernetesModels.isBuiltIn(object)) {
        found = StrictKubernetesModels.problems(object);
      } else {
        found = new ArrayList<>(CRDS.problems(object));
        found.addAll(StrictKubernetesModels.metadataProblems(object));
      }
      found.forEach(p -> problems.add(overlay.name() + ": " + name + ": " + p));
    }
    return problems;
  }
}
