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
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import multimodal.devkit.onnx.CaptionFixtureModels;
import multimodal.devkit.onnx.FixtureModels;

/**
 * The whole platform as pods on this machine: the {@code k8s/overlays/local} overlay rendered,
 * checked and played with podman, every server on 127.0.0.1 (host networking).
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
    for (PlatformManifests.Probe probe : manifests.readinessProbes()) {
      requireFree(probe);
    }
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
    manifests.writeTo(manifestsFile);
    podman.kubeDown(manifestsFile); // pods left by a run that was killed
    podman.kubePlay(manifestsFile);
    try {
      ReadinessProbes.awaitAll(manifests.readinessProbes(), READY_TIMEOUT);
    } catch (IllegalStateException e) {
      throw new IllegalStateException(e.getMessage() + "\n" + diagnostics(), e);
    }
  }

  /** Removes the pods and the secrets; the data under the root stays. */
  public void down(PlatformManifests manifests) {
    if (Files.exists(manifestsFile)) {
      podman.kubeDown(manifestsFile);
    }
    manifests.secretNames().forEach(podman::removeSecret);
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

  private static void requireFree(PlatformManifests.Probe probe) {
    try (ServerSocket socket =
        new ServerSocket(probe.port(), 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
    } catch (IOException e) {
      throw new IllegalStateException(
          "127.0.0.1:"
              + probe.port()
              + " ("
              + probe.deployment()
              + ") is in use: is the platform already running"
              + " (bin/platform, or bin/pods up)?");
    }
  }
}
