package multimodal.devkit.pods;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/pods}: runs the platform as pods on this machine (see {@link LocalPlatform}).
 *
 * <pre>
 * LocalPods up    [--root DIR] [--tag TAG] [--overlay DIR]   render, check, play, wait for readiness
 * LocalPods down  [--root DIR]                                remove the pods and secrets (data stays)
 * LocalPods check [--overlay DIR]                             render and check the env vars only
 * </pre>
 *
 * Run from the repository root with podman configured (bin/pods sources bin/podman-env).
 */
public final class LocalPods {
  private LocalPods() {}

  public static void main(String[] args) throws Exception {
    Deque<String> rest = new ArrayDeque<>(List.of(args));
    String command = rest.isEmpty() ? "" : rest.pop();
    Path repository = Path.of("").toAbsolutePath();
    Path root = repository.resolve(".local/pods");
    Path overlay = repository.resolve("k8s/overlays/local");
    String tag = null;
    while (!rest.isEmpty()) {
      String option = rest.pop();
      String value = rest.isEmpty() ? usage("missing value for " + option) : rest.pop();
      switch (option) {
        case "--root" -> root = Path.of(value);
        case "--tag" -> tag = value;
        case "--overlay" -> overlay = Path.of(value);
        default -> usage("unknown option " + option);
      }
    }
    LocalPlatform platform = new LocalPlatform(repository, root, new Podman(null));
    switch (command) {
      case "up" -> up(platform, overlay, tag == null ? usage("--tag is required for up") : tag);
      case "down" ->
          platform.down(
              PlatformManifests.parse(Files.readString(platform.root().resolve("platform.yaml"))));
      case "check" -> {
        platform.render(overlay, "unused");
        System.out.println("every env var of " + overlay + " configures its service");
      }
      default -> usage("unknown command '" + command + "'");
    }
  }

  private static void up(LocalPlatform platform, Path overlay, String tag)
      throws IOException, InterruptedException {
    PlatformManifests manifests = platform.render(overlay, tag);
    Path keys = platform.root().resolve("secrets/api-keys");
    String keyLines;
    if (Files.exists(keys)) {
      keyLines = Files.readString(keys);
    } else {
      Map.Entry<String, String> key = LocalPlatform.newApiKey("default");
      keyLines = key.getValue();
      Path keyFile = platform.root().resolve("secrets/api-key");
      Files.createDirectories(keyFile.getParent());
      Files.writeString(keyFile, key.getKey() + "\n");
      Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
      System.out.println(
          "new API key for tenant 'default' (also in " + keyFile + "): " + key.getKey());
    }
    platform.up(manifests, keyLines);
    System.out.println("ready: " + manifests.readinessProbes());
    System.out.println("web UI and REST API: http://127.0.0.1:8080/   stop with: bin/pods down");
  }

  private static String usage(String problem) {
    System.err.println(problem);
    System.err.println("usage: bin/pods up [--root DIR] [--tag TAG] | down [--root DIR] | check");
    System.exit(2);
    return null;
  }
}
