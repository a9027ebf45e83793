package multimodal.devkit.pods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The Kubernetes objects of one rendered Kustomize overlay: rendered by {@code kubectl kustomize}
 * (the tool clusters use, so the same files are proven), then adjusted for one run on this machine
 * (image tags, the root of the host directories) and written for {@code podman kube play}.
 */
public final class PlatformManifests {
  private static final YAMLMapper YAML =
      YAMLMapper.builder(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER))
          .build();

  /**
   * A container's readiness probe, resolved to a port number on the pod's (here: the host's)
   * network.
   */
  public record Probe(String deployment, int port, Optional<String> httpPath) {
    @Override
    public String toString() {
      return deployment + " " + httpPath.map(p -> "GET :" + port + p).orElse("TCP :" + port);
    }
  }

  /** One container of a Deployment with the env var names its manifest sets. */
  public record Container(String deployment, String name, String image, List<String> envNames) {}

  private final List<ObjectNode> objects;

  private PlatformManifests(List<ObjectNode> objects) {
    this.objects = objects;
  }

  /** Renders {@code overlay} with {@code kubectl kustomize}. */
  public static PlatformManifests render(Path overlay) {
    Commands.Result result =
        Commands.run(List.of("kubectl", "kustomize", overlay.toString()), null);
    if (result.exitCode() != 0) {
      throw new IllegalStateException(
          "kubectl kustomize " + overlay + " failed:\n" + result.output());
    }
    return parse(result.stdout());
  }

  public static PlatformManifests parse(String yaml) {
    ObjectReader reader = YAML.readerFor(JsonNode.class);
    List<ObjectNode> objects = new ArrayList<>();
    try (var documents = reader.<JsonNode>readValues(yaml)) {
      while (documents.hasNext()) {
        JsonNode document = documents.next();
        if (document instanceof ObjectNode object && object.has("kind")) {
          objects.add(object);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("the rendered manifests are not YAML", e);
    }
    return new PlatformManifests(objects);
  }

  /** Replaces the tag of every container image that starts with {@code repository}. */
  public PlatformManifests withImageTag(String repository, String tag) {
    for (ObjectNode container : containerNodes()) {
      String image = container.path("image").asText();
      if (image.startsWith(repository)) {
        int colon = image.lastIndexOf(':');
        String name = colon > image.lastIndexOf('/') ? image.substring(0, colon) : image;
        container.put("image", name + ":" + tag);
      }
    }
    return this;
  }

  /** Moves every hostPath volume under {@code from} to the same relative place under {@code to}. */
  public PlatformManifests withHostPathRoot(String from, Path to) {
    for (ObjectNode volume : hostPathVolumes()) {
      ObjectNode hostPath = (ObjectNode) volume.get("hostPath");
      String path = hostPath.path("path").asText();
      if (path.equals(from) || path.startsWith(from + "/")) {
        hostPath.put(
            "path", to.resolve(path.substring(from.length()).replaceFirst("^/", "")).toString());
      }
    }
    return this;
  }

  /** The host directories the pods mount. */
  public List<Path> hostPaths() {
    return hostPathVolumes().stream()
        .map(v -> Path.of(v.path("hostPath").path("path").asText()))
        .distinct()
        .toList();
  }

  /**
   * The host directories some container mounts without {@code readOnly: true}: the ones it writes.
   */
  public List<Path> writableHostPaths() {
    List<Path> writable = new ArrayList<>();
    for (ObjectNode deployment : deployments()) {
      JsonNode spec = deployment.at("/spec/template/spec");
      for (JsonNode container : spec.path("containers")) {
        for (JsonNode mount : container.path("volumeMounts")) {
          if (mount.path("readOnly").asBoolean(false)) {
            continue;
          }
          for (JsonNode volume : spec.path("volumes")) {
            if (volume.path("name").asText().equals(mount.path("name").asText())
                && volume.has("hostPath")) {
              writable.add(Path.of(volume.path("hostPath").path("path").asText()));
            }
          }
        }
      }
    }
    return writable.stream().distinct().toList();
  }

  /** The containers of the Deployments and StatefulSets, with the env vars each gets. */
  public List<Container> containers() {
    List<Container> containers = new ArrayList<>();
    List<ObjectNode> workloads =
        objects.stream()
            .filter(o -> List.of("Deployment", "StatefulSet").contains(o.path("kind").asText()))
            .toList();
    for (ObjectNode deployment : workloads) {
      String name = deployment.path("metadata").path("name").asText();
      for (JsonNode container : deployment.at("/spec/template/spec/containers")) {
        List<String> env = new ArrayList<>();
        container.path("env").forEach(e -> env.add(e.path("name").asText()));
        // envFrom: every key of the referenced ConfigMaps becomes an env var of the container.
        for (JsonNode source : container.path("envFrom")) {
          String configMap = source.path("configMapRef").path("name").asText(null);
          if (configMap != null) {
            configMap(configMap).path("data").fieldNames().forEachRemaining(env::add);
          }
        }
        containers.add(
            new Container(
                name, container.path("name").asText(), container.path("image").asText(), env));
      }
    }
    return containers;
  }

  /**
   * The number of the container port named {@code portName} in {@code deployment} (e.g. "http").
   */
  public int containerPort(String deployment, String portName) {
    for (ObjectNode object : deployments()) {
      if (object.path("metadata").path("name").asText().equals(deployment)) {
        for (JsonNode container : object.at("/spec/template/spec/containers")) {
          OptionalInt port = namedPort(container, portName);
          if (port.isPresent()) {
            return port.getAsInt();
          }
        }
      }
    }
    throw new IllegalStateException(
        "Deployment " + deployment + " declares no port named " + portName);
  }

  /** The readiness probe of every container, named ports resolved to their numbers. */
  public List<Probe> readinessProbes() {
    List<Probe> probes = new ArrayList<>();
    for (ObjectNode deployment : deployments()) {
      String name = deployment.path("metadata").path("name").asText();
      for (JsonNode container : deployment.at("/spec/template/spec/containers")) {
        JsonNode probe = container.path("readinessProbe");
        if (probe.isMissingNode()) {
          throw new IllegalStateException(
              name + "/" + container.path("name").asText() + " has no readinessProbe");
        }
        JsonNode http = probe.path("httpGet");
        JsonNode target = http.isMissingNode() ? probe.path("tcpSocket") : http;
        int port = port(container, target.path("port"));
        probes.add(
            new Probe(
                name,
                port,
                http.isMissingNode()
                    ? Optional.empty()
                    : Optional.of(http.path("path").asText("/"))));
      }
    }
    return probes;
  }

  /**
   * The names of the Secrets the containers read (they are created out of band, as in a cluster).
   */
  public List<String> secretNames() {
    List<String> names = new ArrayList<>();
    for (ObjectNode container : containerNodes()) {
      container.findValues("secretKeyRef").forEach(ref -> names.add(ref.path("name").asText()));
    }
    return names.stream().distinct().toList();
  }

  /** The keys of {@code secret} that {@code secretKeyRef} env vars read. */
  public List<String> secretKeys(String secret) {
    List<String> keys = new ArrayList<>();
    for (ObjectNode container : containerNodes()) {
      for (JsonNode ref : container.findValues("secretKeyRef")) {
        if (ref.path("name").asText().equals(secret)) {
          keys.add(ref.path("key").asText());
        }
      }
    }
    return keys.stream().distinct().toList();
  }

  /**
   * podman 4.3's {@code kube play} turns every {@code containerPort} into a port mapping and then
   * refuses it in a host-network pod ("PortMappings can only be used with Bridge or slirp4netns
   * networking"); with host networking the ports need no mapping, so the written copy leaves them
   * out (the probes were resolved to numbers from the manifests as rendered).
   */
  private static ObjectNode withoutHostNetworkPorts(ObjectNode object) {
    JsonNode podSpec = object.path("spec").path("template").path("spec");
    if (!podSpec.path("hostNetwork").asBoolean(false)) {
      return object;
    }
    ObjectNode copy = object.deepCopy();
    copy.path("spec")
        .path("template")
        .path("spec")
        .path("containers")
        .forEach(c -> ((ObjectNode) c).remove("ports"));
    return copy;
  }

  public void writeTo(Path file) {
    StringBuilder out = new StringBuilder();
    try {
      for (ObjectNode object : objects) {
        out.append("---\n").append(YAML.writeValueAsString(withoutHostNetworkPorts(object)));
      }
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, out.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static int port(JsonNode container, JsonNode port) {
    if (port.isInt()) {
      return port.asInt();
    }
    return namedPort(container, port.asText())
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "probe port '"
                        + port.asText()
                        + "' is not a port of container "
                        + container.path("name").asText()));
  }

  private static OptionalInt namedPort(JsonNode container, String name) {
    for (JsonNode declared : container.path("ports")) {
      if (declared.path("name").asText().equals(name)) {
        return OptionalInt.of(declared.path("containerPort").asInt());
      }
    }
    return OptionalInt.empty();
  }

  private JsonNode configMap(String name) {
    return objects.stream()
        .filter(
            o ->
                o.path("kind").asText().equals("ConfigMap")
                    && o.path("metadata").path("name").asText().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "envFrom names ConfigMap " + name + ", which the manifests do not define"));
  }

  private List<ObjectNode> deployments() {
    return objects.stream().filter(o -> o.path("kind").asText().equals("Deployment")).toList();
  }

  private List<ObjectNode> containerNodes() {
    List<ObjectNode> containers = new ArrayList<>();
    for (ObjectNode deployment : deployments()) {
      deployment.at("/spec/template/spec/containers").forEach(c -> containers.add((ObjectNode) c));
    }
    return containers;
  }

  private List<ObjectNode> hostPathVolumes() {
    List<ObjectNode> volumes = new ArrayList<>();
    for (ObjectNode deployment : deployments()) {
      for (JsonNode volume : deployment.at("/spec/template/spec/volumes")) {
        if (volume.has("hostPath")) {
          volumes.add((ObjectNode) volume);
        }
      }
    }
    return volumes;
  }
}
