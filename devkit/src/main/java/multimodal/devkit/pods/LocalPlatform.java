package multimodal.devkit.pods;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import multimodal.devkit.onnx.CaptionFixtureModels;
import multimodal.devkit.onnx.FixtureModels;

/**
 * The whole platform as pods on this machine: the {@code k8s/overlays/local} overlay rendered,
 * checked and played with podman, every server on 127.0.0.1 (host networking); or, where the
 * Deployments name podman networks ({@code k8s/overlays/local-networks}, {@link
 * PlatformManifests#NETWORKS_ANNOTATION}), each pod on its own networks (see {@link #up}).
 *
 * <p>What a cluster operator would do by hand is done here for one machine: the host directories
 * behind the volumes are created under one root, the demo fixture models generated into its {@code
 * models/}, an API key written to {@code secrets/api-keys}, and the Secrets the manifests reference
 * created with fresh random values.
 */
public final class LocalPlatform {
  /** Where the overlay puts its host directories; moved under {@link #root} for each run. */
  static final String OVERLAY_HOST_ROOT = "/var/lib/multimodal";

  /** The images the overlay names; their tag is set to the one the build produced. */
  static final String IMAGE_REPOSITORY = "localhost/multimodal/";

  private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);

  private final Path repository;
  private final Path root;
  private final Podman podman;
  private final Path manifestsFile;
  private final Map<String, Map<String, String>> secrets = new LinkedHashMap<>();

  /** Deployment → overlay network name → the pod's address there (bridge networks only). */
  private final Map<String, Map<String, String>> podAddresses = new LinkedHashMap<>();

  /** Prefix of the podman networks this run creates ({@code multimodal-kafka}, ...). */
  public static final String NETWORK_PREFIX = "multimodal-";

  /**
   * @param repository the checkout (its {@code k8s/} and the services' build output)
   * @param root where the run's data lives (volumes, the rendered manifests)
   */
  public LocalPlatform(Path repository, Path root, Podman podman) {
    this.repository = repository.toAbsolutePath().normalize();
    this.root = root.toAbsolutePath().normalize();
    this.podman = podman;
    this.manifestsFile = this.root.resolve("platform.yaml");
  }

  /**
   * Renders and checks the overlay for this run: image tag, host directories under the root.
   * Throws, listing every problem, when an env var of a manifest configures nothing.
   */
  public PlatformManifests render(Path overlay, String imageTag) {
    PlatformManifests manifests =
        PlatformManifests.render(overlay)
            .withImageTag(IMAGE_REPOSITORY, imageTag)
            .withHostPathRoot(OVERLAY_HOST_ROOT, root);
    List<String> problems = new EnvironmentCheck(repository).problems(manifests);
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "the manifests of "
              + overlay
              + " set env vars that configure nothing:\n  "
              + String.join("\n  ", problems));
    }
    return manifests;
  }

  /**
   * Starts the pods and waits until every readiness probe passes. {@code apiKeyLines} is the
   * content of the gateway's key file ({@code <sha256> <tenant> [name]} lines).
   */
  public void up(PlatformManifests manifests, String apiKeyLines) throws InterruptedException {
    if (onNetworks(manifests)) {
      upOnNetworks(manifests, apiKeyLines);
      return;
    }
    for (PlatformManifests.Probe probe : manifests.readinessProbes()) {
      requireFree(probe.port(), probe.deployment());
    }
    prepare(manifests, apiKeyLines);
    manifests.writeTo(manifestsFile);
    podman.kubeDown(manifestsFile); // pods left by a run that was killed
    podman.kubePlay(manifestsFile);
    try {
      ReadinessProbes.awaitAll(manifests.readinessProbes(), READY_TIMEOUT);
    } catch (IllegalStateException e) {
      throw new IllegalStateException(e.getMessage() + "\n" + diagnostics(), e);
    }
  }

  /**
   * The pods on podman bridge networks: each Deployment is played on its own ({@code kube play}
   * takes the networks for all pods of a file) on the networks its annotation names, created here
   * ({@link #NETWORK_PREFIX} + name): {@code --internal}, except the first network of a pod that
   * publishes a port (podman forwards no port into an internal network). On each network a pod
   * answers to the names of the Services that select it (aardvark-dns). A pod whose containers read
   * {@code status.podIP} gets a fixed address on its first network, which is set there. The
   * readiness probes go to the pods' addresses: the host reaches every bridge network, as a node
   * reaches its pods.
   */
  private void upOnNetworks(PlatformManifests manifests, String apiKeyLines)
      throws InterruptedException {
    for (String deployment : manifests.deploymentNames()) {
      if (manifests.networks(deployment).isEmpty()) {
        throw new IllegalStateException(
            "Deployment "
                + deployment
                + " names no podman network while others do: annotate every Deployment with "
                + PlatformManifests.NETWORKS_ANNOTATION);
      }
      for (PlatformManifests.PublishedPort port : manifests.publishedPorts(deployment)) {
        requireFree(port.hostPort(), deployment);
      }
    }
    removePodsAndNetworks(manifests); // left by a run that was killed
    prepare(manifests, apiKeyLines);
    manifests.writeTo(manifestsFile); // what bin/pods down reads back
    Set<String> routed = routedNetworks(manifests);
    for (String network : networkNames(manifests)) {
      podman.createNetwork(podmanNetwork(network), !routed.contains(network));
    }
    for (String deployment : manifests.deploymentNames()) {
      List<String> networks = manifests.networks(deployment);
      String podIp =
          manifests.readsPodIp(deployment)
              ? lastHostAddress(podman.subnet(NETWORK_PREFIX + networks.get(0)))
              : null;
      List<String> options = new ArrayList<>();
      for (String network : networks) {
        List<String> settings = new ArrayList<>();
        manifests.serviceNames(deployment).forEach(name -> settings.add("alias=" + name));
        if (podIp != null && network.equals(networks.get(0))) {
          settings.add("ip=" + podIp);
        }
        String option = podmanNetwork(network);
        if (!settings.isEmpty()) {
          option += ":" + String.join(",", settings);
        }
        options.add(option);
      }
      Path file = podFile(deployment);
      manifests.writeDeploymentTo(deployment, file, podIp);
      podman.kubePlay(file, options);
      Map<String, String> addresses = new LinkedHashMap<>();
      for (String network : networks) {
        addresses.put(
            network, podman.address(podContainer(manifests, deployment), NETWORK_PREFIX + network));
      }
      podAddresses.put(deployment, addresses);
    }
    try {
      ReadinessProbes.awaitAll(
          manifests.readinessProbes(), probe -> podAddress(probe.deployment()), READY_TIMEOUT);
    } catch (IllegalStateException e) {
      throw new IllegalStateException(e.getMessage() + "\n" + diagnostics(), e);
    }
  }

  /** Removes the pods, the networks this class creates, and the secrets; the data stays. */
  public void down(PlatformManifests manifests) {
    if (onNetworks(manifests)) {
      removePodsAndNetworks(manifests);
    } else if (Files.exists(manifestsFile)) {
      podman.kubeDown(manifestsFile);
    }
    manifests.secretNames().forEach(podman::removeSecret);
  }

  private void removePodsAndNetworks(PlatformManifests manifests) {
    for (String deployment : manifests.deploymentNames()) {
      Path file = podFile(deployment);
      if (!Files.exists(file)) {
        manifests.writeDeploymentTo(deployment, file, null);
      }
      podman.kubeDown(file);
    }
    networkNames(manifests).forEach(n -> podman.removeNetwork(NETWORK_PREFIX + n));
  }

  /**
   * The address of {@code deployment}'s pod on the first network it names, which the host reaches
   * (known after {@link #up} on bridge networks; host networking: 127.0.0.1).
   */
  public String podAddress(String deployment) {
    return podAddresses.getOrDefault(deployment, Map.of()).values().stream()
        .findFirst()
        .orElse("127.0.0.1");
  }

  /** The addresses of {@code deployment}'s pod by overlay network (empty on host networking). */
  public Map<String, String> podAddresses(String deployment) {
    return podAddresses.getOrDefault(deployment, Map.of());
  }

  /** The podman network this run created for the overlay's network {@code name}. */
  public static String podmanNetwork(String name) {
    return NETWORK_PREFIX + name;
  }

  private static boolean onNetworks(PlatformManifests manifests) {
    return manifests.deploymentNames().stream().anyMatch(d -> !manifests.networks(d).isEmpty());
  }

  /**
   * The networks that must be routed: the first one each pod that publishes a port names (podman
   * forwards no port into an internal network). Every other network is internal.
   */
  public static Set<String> routedNetworks(PlatformManifests manifests) {
    Set<String> routed = new LinkedHashSet<>();
    for (String deployment : manifests.deploymentNames()) {
      if (!manifests.publishedPorts(deployment).isEmpty()) {
        routed.add(manifests.networks(deployment).get(0));
      }
    }
    return routed;
  }

  private static List<String> networkNames(PlatformManifests manifests) {
    return manifests.deploymentNames().stream()
        .flatMap(d -> manifests.networks(d).stream())
        .distinct()
        .toList();
  }

  private Path podFile(String deployment) {
    return root.resolve("pods").resolve(deployment + ".yaml");
  }

  /**
   * podman names a Deployment's pod {@code <name>-pod-0} and its containers {@code <pod>-<name>}.
   */
  private static String podContainer(PlatformManifests manifests, String deployment) {
    return manifests.containers().stream()
        .filter(c -> c.deployment().equals(deployment))
        .findFirst()
        .map(c -> deployment + "-pod-0-" + c.name())
        .orElseThrow();
  }

  /**
   * The last host address of an IPv4 subnet ({@code 10.89.1.0/24} → {@code 10.89.1.254}): netavark
   * hands out addresses from the start, so a fixed one at the end meets no other pod.
   */
  static String lastHostAddress(String subnet) {
    String[] parts = subnet.split("/");
    byte[] bytes;
    try {
      bytes = InetAddress.getByName(parts[0]).getAddress();
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException("not an address: " + subnet, e);
    }
    if (bytes.length != 4) {
      throw new IllegalStateException("not an IPv4 subnet: " + subnet);
    }
    int prefix = Integer.parseInt(parts[1]);
    int base = java.nio.ByteBuffer.wrap(bytes).getInt();
    int last = (base & (prefix == 0 ? 0 : -1 << (32 - prefix))) | ((1 << (32 - prefix)) - 2);
    return String.format(
        "%d.%d.%d.%d", last >>> 24, (last >>> 16) & 255, (last >>> 8) & 255, last & 255);
  }

  /** Checks the images, fills the host directories and creates the secrets. */
  private void prepare(PlatformManifests manifests, String apiKeyLines) {
    for (PlatformManifests.Container container : manifests.containers()) {
      if (!podman.imageExists(container.image())) {
        throw new IllegalStateException(
            "image " + container.image() + " is missing: build it with bin/images build");
      }
    }
    prepareHostDirectories(manifests, apiKeyLines);
    for (String secret : manifests.secretNames()) {
      Map<String, String> values = randomValues(manifests, secret);
      podman.createSecret(secret, values);
      secrets.put(secret, values);
    }
  }

  /** The state and last log lines of every container, for a failure message. */
  public String diagnostics() {
    StringBuilder out = new StringBuilder();
    for (String container : podman.containers("")) {
      out.append(podman.describe(container, 40)).append('\n');
    }
    return out.toString();
  }

  public Path root() {
    return root;
  }

  /**
   * The values {@link #up} gave the Secret {@code secret}, by key (empty before {@code up}): a test
   * that calls the services as one of them needs the shared {@code multimodal-internal-auth} key.
   */
  public Map<String, String> secretValues(String secret) {
    return secrets.getOrDefault(secret, Map.of());
  }

  /** A fresh random key line for the gateway's key file, and the key itself (shown once). */
  public static Map.Entry<String, String> newApiKey(String tenant) {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    String key = "mm_" + HexFormat.of().formatHex(bytes);
    return Map.entry(key, sha256(key) + " " + tenant + " local");
  }

  public static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void prepareHostDirectories(PlatformManifests manifests, String apiKeyLines) {
    try {
      for (Path dir : manifests.hostPaths()) {
        Files.createDirectories(dir);
      }
      // The images run as a non-root user: the directories it writes must be writable for it, and
      // only those (the key file and the models stay writable by their owner alone).
      for (Path dir : manifests.writableHostPaths()) {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
      }
      Path models = root.resolve("models");
      FixtureModels.writeClipFixture(models);
      CaptionFixtureModels.main(new String[] {models.toString()});
      Path keys = root.resolve("secrets/api-keys");
      Files.createDirectories(keys.getParent());
      Files.writeString(keys, apiKeyLines.endsWith("\n") ? apiKeyLines : apiKeyLines + "\n");
      Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rw-r--r--"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + root, e);
    }
  }

  /** A random value for every key of {@code secret} that the manifests read. */
  private static Map<String, String> randomValues(PlatformManifests manifests, String secret) {
    Map<String, String> values = new LinkedHashMap<>();
    SecureRandom random = new SecureRandom();
    for (String key : manifests.secretKeys(secret)) {
      byte[] bytes = new byte[32];
      random.nextBytes(bytes);
      values.put(key, HexFormat.of().formatHex(bytes));
    }
    return values;
  }

  private static void requireFree(int port, String deployment) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
    } catch (IOException e) {
      throw new IllegalStateException(
          "127.0.0.1:"
              + port
              + " ("
              + deployment
              + ") is in use: is the platform already running"
              + " (bin/platform, or bin/pods up)?");
    }
  }
}
