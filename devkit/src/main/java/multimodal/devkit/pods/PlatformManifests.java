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

  /** A container port the host publishes ({@code hostIP}:{@code hostPort} → the container's). */
  public record PublishedPort(
      String deployment, String name, String hostIp, int hostPort, int containerPort) {}

  /**
   * The annotation of a Deployment that names the podman bridge networks its pod joins (separated
   * by spaces); without it the pod keeps the manifest's own networking (the host's, in {@code
   * overlays/local}).
   */
  public static final String NETWORKS_ANNOTATION = "multimodal.dev/podman-networks";

  /** The downward-API field that podman 4.3 cannot fill; the caller gives the address. */
  static final String POD_IP_FIELD = "status.podIP";

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

  /**
   * The copy podman plays. On bridge networks ({@link #NETWORKS_ANNOTATION}) podman 4.3 publishes
   * every {@code containerPort} on all the host's interfaces, at the same number, when it has no
   * {@code hostPort}; a pod is reached on its networks instead, so only ports with a {@code
   * hostPort} stay, and those must be bound to 127.0.0.1.
   */
  private static ObjectNode forPodman(ObjectNode object) {
    if (object.at("/metadata/annotations").path(NETWORKS_ANNOTATION).isMissingNode()) {
      return withoutHostNetworkPorts(object);
    }
    ObjectNode copy = object.deepCopy();
    for (JsonNode container : copy.at("/spec/template/spec/containers")) {
      List<JsonNode> published = new ArrayList<>();
      for (JsonNode port : container.path("ports")) {
        if (port.has("hostPort")) {
          if (!port.path("hostIP").asText().equals("127.0.0.1")) {
            throw new IllegalStateException(
                object.at("/metadata/name").asText()
                    + ": port "
                    + port.path("name").asText()
                    + " is published on "
                    + port.path("hostIP").asText("every interface")
                    + "; publish on hostIP 127.0.0.1 only");
          }
          published.add(port);
        }
      }
      ((ObjectNode) container).putArray("ports").addAll(published);
    }
    return copy;
  }

  /** The Deployments' names, in the order of the manifests. */
  public List<String> deploymentNames() {
    return deployments().stream().map(d -> d.path("metadata").path("name").asText()).toList();
  }

  /**
   * The podman networks {@code deployment}'s pod joins ({@link #NETWORKS_ANNOTATION}); empty when
   * it names none.
   */
  public List<String> networks(String deployment) {
    String names =
        deployment(deployment)
            .path("metadata")
            .path("annotations")
            .path(NETWORKS_ANNOTATION)
            .asText("")
            .trim();
    return names.isEmpty() ? List.of() : List.of(names.split("\\s+"));
  }

  /** The Services whose selector picks {@code deployment}'s pods: the names it answers to. */
  public List<String> serviceNames(String deployment) {
    JsonNode labels = deployment(deployment).at("/spec/template/metadata/labels");
    List<String> names = new ArrayList<>();
    for (ObjectNode service : ofKind("Service")) {
      JsonNode selector = service.at("/spec/selector");
      boolean picks = selector.size() > 0;
      for (var entry : selector.properties()) {
        picks &= entry.getValue().asText().equals(labels.path(entry.getKey()).asText(null));
      }
      if (picks) {
        names.add(service.path("metadata").path("name").asText());
      }
    }
    return names;
  }

  /** The container ports of {@code deployment} that name a {@code hostPort}. */
  public List<PublishedPort> publishedPorts(String deployment) {
    List<PublishedPort> published = new ArrayList<>();
    for (JsonNode container : deployment(deployment).at("/spec/template/spec/containers")) {
      for (JsonNode port : container.path("ports")) {
        if (port.has("hostPort")) {
          published.add(
              new PublishedPort(
                  deployment,
                  port.path("name").asText(),
                  port.path("hostIP").asText("0.0.0.0"),
                  port.path("hostPort").asInt(),
                  port.path("containerPort").asInt()));
        }
      }
    }
    return published;
  }

  /** Whether a container of {@code deployment} reads its pod's address (downward API). */
  public boolean readsPodIp(String deployment) {
    return deployment(deployment)
        .at("/spec/template/spec/containers")
        .findValues("fieldRef")
        .stream()
        .anyMatch(ref -> ref.path("fieldPath").asText().equals(POD_IP_FIELD));
  }

  /**
   * Writes {@code deployment} alone, with the ConfigMaps, for a {@code podman kube play} of its own
   * (each pod joins networks of its own). {@code podIp}, when given, is set where a container reads
   * {@code status.podIP}, which podman 4.3 refuses.
   */
  public void writeDeploymentTo(String deployment, Path file, String podIp) {
    List<ObjectNode> written = new ArrayList<>(ofKind("ConfigMap"));
    ObjectNode copy = forPodman(deployment(deployment));
    if (podIp != null) {
      for (JsonNode env : copy.at("/spec/template/spec/containers").findValues("env")) {
        for (JsonNode variable : env) {
          if (variable.at("/valueFrom/fieldRef/fieldPath").asText().equals(POD_IP_FIELD)) {
            ((ObjectNode) variable).remove("valueFrom");
            ((ObjectNode) variable).put("value", podIp);
          }
        }
      }
    }
    written.add(copy);
    write(written, file);
  }

  public void writeTo(Path file) {
    write(objects.stream().map(PlatformManifests::forPodman).toList(), file);
  }

  private static void write(List<ObjectNode> objects, Path file) {
    StringBuilder out = new StringBuilder();
    try {
      for (ObjectNode object : objects) {
        out.append("---\n").append(YAML.writeValueAsString(object));
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
    return ofKind("Deployment");
  }

  private List<ObjectNode> ofKind(String kind) {
    return objects.stream().filter(o -> o.path("kind").asText().equals(kind)).toList();
  }

  private ObjectNode deployment(String name) {
    return deployments().stream()
        .filter(d -> d.path("metadata").path("name").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no Deployment named " + name));
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
