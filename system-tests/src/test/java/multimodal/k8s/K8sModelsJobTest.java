package multimodal.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fetch-models Job fills the models claim through scripts/fetch-models.sh and its pinned lock,
 * with exactly the model directories the services' env vars point at under /models (production; gpu
 * adds the Stable Diffusion export of the generator's text to image).
 */
class K8sModelsJobTest {
  private static final Pattern MODEL_DIR = Pattern.compile("/models/([^/]+)(/.*)?");
  private final RenderedOverlay production = RenderedOverlay.of("production");

  @ParameterizedTest
  @ValueSource(strings = {"production", "gpu"})
  void theJobFetchesEveryModelDirTheServicesReadFromTheClaim(String name) throws IOException {
    RenderedOverlay overlay = RenderedOverlay.of(name);
    JsonNode job = overlay.named("Job", "fetch-models");
    // The script's own arguments, then the Job's args: the model dirs.
    List<String> command = new ArrayList<>();
    RenderedOverlay.container(job).path("command").forEach(c -> command.add(c.asText()));
    RenderedOverlay.container(job).path("args").forEach(c -> command.add(c.asText()));
    int target = command.indexOf("/models");
    assertThat(target).as("target dir /models in " + command).isPositive();
    Set<String> fetched = new TreeSet<>(command.subList(target + 1, command.size()));

    Set<String> read = new TreeSet<>();
    for (JsonNode workload : overlay.workloads()) {
      for (JsonNode env : RenderedOverlay.container(workload).path("env")) {
        Matcher matcher = MODEL_DIR.matcher(env.path("value").asText());
        if (matcher.matches()) {
          read.add(matcher.group(1));
        }
      }
    }
    assertThat(read).isNotEmpty();
    assertThat(fetched).isEqualTo(read);
    assertThat(lockedModelDirs()).containsAll(read);
  }

  @Test
  void theJobRunsTheRepositorysScriptWithItsLock() {
    JsonNode container = RenderedOverlay.container(production.named("Job", "fetch-models"));
    List<String> command = new ArrayList<>();
    container.path("command").forEach(c -> command.add(c.asText()));
    container.path("args").forEach(c -> command.add(c.asText()));
    Path script = Path.of(command.get(1));
    Path lock = Path.of(command.get(command.indexOf("--manifest") + 1));
    assertThat(script.getFileName().toString()).isEqualTo("fetch-models.sh");
    assertThat(lock.getFileName().toString()).isEqualTo("models.lock");
    assertThat(RenderedOverlay.ROOT.resolve("scripts").resolve(script.getFileName())).exists();
    assertThat(RenderedOverlay.ROOT.resolve("scripts").resolve(lock.getFileName())).exists();
    assertThat(command).doesNotContain("--allow-unpinned");
    assertThat(mountPath(container, "fetch-models")).isEqualTo(script.getParent().toString());
  }

  @Test
  void theJobWritesTheClaimTheServicesMountAndIsHardened() {
    JsonNode job = production.named("Job", "fetch-models");
    JsonNode container = RenderedOverlay.container(job);
    assertThat(claimAt(job, "/models")).isEqualTo("models");
    for (JsonNode workload : production.workloads()) {
      String claim = claimAt(workload, "/models");
      assertThat(claim == null || claim.equals("models")).isTrue();
    }
    assertThat(job.at("/spec/template/spec/securityContext/runAsNonRoot").asBoolean()).isTrue();
    assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(container.at("/securityContext/capabilities/drop").toString())
        .isEqualTo("[\"ALL\"]");
    assertThat(container.at("/resources/limits/memory").isMissingNode()).isFalse();
    JsonNode claim = production.named("PersistentVolumeClaim", "models");
    assertThat(claim.at("/spec/accessModes").toString()).contains("ReadWriteMany");
  }

  private static Set<String> lockedModelDirs() throws IOException {
    Set<String> dirs = new TreeSet<>();
    for (String line : Files.readAllLines(RenderedOverlay.ROOT.resolve("scripts/models.lock"))) {
      String trimmed = line.strip();
      if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
        dirs.add(trimmed.split("\\s+")[0]);
      }
    }
    return dirs;
  }

  private static String mountPath(JsonNode container, String volume) {
    for (JsonNode mount : container.path("volumeMounts")) {
      if (mount.path("name").asText().equals(volume)) {
        return mount.path("mountPath").asText();
      }
    }
    return null;
  }

  /** The claim mounted at {@code path} in the workload's container, or null. */
  private static String claimAt(JsonNode workload, String path) {
    for (JsonNode mount : RenderedOverlay.container(workload).path("volumeMounts")) {
      if (mount.path("mountPath").asText().equals(path)) {
        for (JsonNode volume : workload.at("/spec/template/spec/volumes")) {
          if (volume.path("name").asText().equals(mount.path("name").asText())) {
            return volume.at("/persistentVolumeClaim/claimName").asText(null);
          }
        }
      }
    }
    return null;
  }
}
