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

  /**
   * Starts the pod of {@code manifests} on {@code networks} ({@code --network} values: {@code
   * name:alias=a,alias=b,ip=10.89.1.254}).
   */
  public void kubePlay(Path manifests, List<String> networks) {
    List<String> command = new ArrayList<>(List.of("podman", "kube", "play"));
    networks.forEach(network -> command.addAll(List.of("--network", network)));
    command.add(manifests.toString());
    require(command);
  }

  /**
   * Creates a bridge network; {@code internal}: no route out and no port forwarding (netavark turns
   * forwarding off on its bridge), so only its members and the host reach each other.
   */
  public void createNetwork(String name, boolean internal) {
    List<String> command = new ArrayList<>(List.of("podman", "network", "create"));
    if (internal) {
      command.add("--internal");
    }
    command.add(name);
    require(command);
  }

  /** Removes a network; quiet when it does not exist. */
  public void removeNetwork(String name) {
    Commands.run(List.of("podman", "network", "rm", name), env);
  }

  /** The IPv4 subnet of a network, e.g. {@code 10.89.1.0/24}. */
  public String subnet(String network) {
    return require(
            List.of(
                "podman",
                "network",
                "inspect",
                "--format",
                "{{range .Subnets}}{{.Subnet}} {{end}}",
                network))
        .stdout()
        .trim()
        .split(" ")[0];
  }

  /** The address of {@code container} on {@code network}. */
  public String address(String container, String network) {
    String format = "{{(index .NetworkSettings.Networks \"" + network + "\").IPAddress}}";
    String address =
        require(List.of("podman", "inspect", "--format", format, container)).stdout().trim();
    if (address.isEmpty() || address.equals("<no value>")) {
      throw new IllegalStateException(container + " has no address on network " + network);
    }
    return address;
  }

  /**
   * Runs {@code command} in a throw-away container of {@code image} on {@code network} only ({@code
   * none}: no network at all), its entry point replaced by {@code entrypoint}.
   */
  Commands.Result runOnce(String network, String image, String entrypoint, List<String> args) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "podman", "run", "--rm", "--network", network, "--entrypoint", entrypoint, image));
    command.addAll(args);
    return Commands.run(command, env);
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
