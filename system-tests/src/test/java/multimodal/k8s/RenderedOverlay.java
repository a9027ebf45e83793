package multimodal.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The objects of one Kustomize overlay as `kubectl kustomize` renders it (the tool a cluster uses).
 */
record RenderedOverlay(String name, String yaml, List<JsonNode> objects) {
  static final Path ROOT =
      Path.of(System.getProperty("platform.root", "..")).toAbsolutePath().normalize();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ConcurrentHashMap<String, RenderedOverlay> CACHE = new ConcurrentHashMap<>();

  /** Renders {@code k8s/overlays/<name>} once per test run. */
  static RenderedOverlay of(String name) {
    return CACHE.computeIfAbsent(name, n -> render(n, ROOT.resolve("k8s/overlays").resolve(n)));
  }

  /** Renders the kustomization {@code k8s/<name>} (one that is not an overlay of the base). */
  static RenderedOverlay ofKustomization(String name) {
    return CACHE.computeIfAbsent("k8s/" + name, n -> render(n, ROOT.resolve(n)));
  }

  /**
   * The same objects with {@code yaml} in place of the rendering: a test changes one side alone.
   */
  static RenderedOverlay parse(String name, String yaml) {
    try {
      List<JsonNode> objects = new ArrayList<>();
      try (var documents = YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
        while (documents.hasNext()) {
          JsonNode document = documents.next();
          if (document != null && document.has("kind")) {
            objects.add(document);
          }
        }
      }
      return new RenderedOverlay(name, yaml, List.copyOf(objects));
    } catch (IOException e) {
      throw new IllegalStateException("overlay " + name + " does not parse as YAML", e);
    }
  }

  private static RenderedOverlay render(String name, Path overlay) {
    try {
      Process process = new ProcessBuilder("kubectl", "kustomize", overlay.toString()).start();
      // stderr only carries the deprecation warnings of newer kubectl (bases,
      // patchesStrategicMerge).
      process.getErrorStream().transferTo(java.io.OutputStream.nullOutputStream());
      String yaml = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("kubectl kustomize " + overlay + " failed");
      }
      return parse(name, yaml);
    } catch (IOException e) {
      throw new IllegalStateException(
          "kubectl kustomize " + overlay + " could not run (kubectl on PATH?)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  List<JsonNode> ofKind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
  }

  /** The Deployments and StatefulSets: the long-running workloads. */
  List<JsonNode> workloads() {
    return objects.stream()
        .filter(o -> List.of("Deployment", "StatefulSet").contains(o.path("kind").asText()))
        .toList();
  }

  JsonNode named(String kind, String objectName) {
    return ofKind(kind).stream()
        .filter(o -> objectName.equals(o.at("/metadata/name").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + ": no " + kind + " " + objectName));
  }

  /** The single container of a workload (every Deployment and StatefulSet here runs one). */
  static JsonNode container(JsonNode deployment) {
    return deployment.at("/spec/template/spec/containers/0");
  }

  /** The env entry {@code env} of {@code container}, or a missing node. */
  static JsonNode envEntry(JsonNode container, String env) {
    for (JsonNode entry : container.path("env")) {
      if (entry.path("name").asText().equals(env)) {
        return entry;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  /** The literal value of env var {@code env} in {@code container}, or null. */
  static String env(JsonNode container, String env) {
    for (JsonNode entry : container.path("env")) {
      if (entry.path("name").asText().equals(env)) {
        return entry.path("value").isMissingNode() ? null : entry.path("value").asText();
      }
    }
    return null;
  }
}
