package multimodal.devkit.pods;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The podman commands the local pod run needs. {@code containersConf} is the containers.conf that
 * makes podman work in this kind of sandbox (written by {@code bin/podman-env}); null keeps the
 * caller's podman configuration.
 */
public final class Podman {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> env;

  public Podman(Path containersConf) {
    this.env =
        containersConf == null ? Map.of() : Map.of("CONTAINERS_CONF", containersConf.toString());
  }

  /** Starts every Deployment in {@code manifests} as a pod. */
  public void kubePlay(Path manifests) {
    require(List.of("podman", "kube", "play", manifests.toString()));
  }

  /** Stops and removes the pods of {@code manifests}; quiet when they are already gone. */
  public Commands.Result kubeDown(Path manifests) {
    return Commands.run(List.of("podman", "kube", "down", manifests.toString()), env);
  }

  /**
   * Creates (or replaces) a secret that {@code secretKeyRef} env vars read. podman 4.3 reads such a
   * secret as a JSON object of base64 values, not as a Kubernetes Secret document.
   */
  public void createSecret(String name, Map<String, String> values) {
    Commands.run(List.of("podman", "secret", "rm", name), env);
    ObjectNode json = JSON.createObjectNode();
    new TreeMap<>(values)
        .forEach(
            (key, value) ->
                json.put(
                    key,
                    Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8))));
    require(
        List.of("podman", "secret", "create", name, "-"),
        json.toString().getBytes(StandardCharsets.UTF_8));
  }

  public void removeSecret(String name) {
    Commands.run(List.of("podman", "secret", "rm", name), env);
  }

  /** Whether a local image with this name exists. */
  public boolean imageExists(String image) {
    return Commands.run(List.of("podman", "image", "exists", image), env).exitCode() == 0;
  }

  /**
   * Names of the containers (not the pods' infra containers) of pods whose name starts with {@code
   * prefix}.
   */
  public List<String> containers(String podPrefix) {
    Commands.Result result =
        require(List.of("podman", "ps", "-a", "--format", "{{.Names}} {{.PodName}} {{.IsInfra}}"));
    List<String> names = new ArrayList<>();
    for (String line : result.stdout().split("\n")) {
      String[] parts = line.trim().split(" ");
      if (parts.length == 3 && parts[1].startsWith(podPrefix) && parts[2].equals("false")) {
        names.add(parts[0]);
      }
    }
    return names;
  }

  /** The last {@code lines} lines a container logged, with its state. */
  public String describe(String container, int lines) {
    String state =
        Commands.run(
                List.of(
                    "podman",
                    "inspect",
                    "--format",
                    "{{.State.Status}} exit={{.State.ExitCode}}",
                    container),
                env)
            .stdout()
            .trim();
    String logs =
        Commands.run(List.of("podman", "logs", "--tail", Integer.toString(lines), container), env)
            .output();
    return "== " + container + " (" + state + ")\n" + logs;
  }

  private Commands.Result require(List<String> command) {
    return require(command, null);
  }

  private Commands.Result require(List<String> command, byte[] stdin) {
    Commands.Result result = Commands.run(command, env, stdin);
    if (result.exitCode() != 0) {
      throw new IllegalStateException(
          String.join(" ", command)
              + " failed (exit "
              + result.exitCode()
              + "):\n"
              + result.output());
    }
    return result;
  }
}
