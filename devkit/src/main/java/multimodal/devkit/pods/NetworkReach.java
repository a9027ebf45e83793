package multimodal.devkit.pods;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a container on one podman network can open TCP connections to: the check that a network
 * layout lets through what it should and stops the rest. A throw-away container of a local image
 * that has bash and coreutils (the project's images do) tries each target with bash's {@code
 * /dev/tcp} under {@code timeout}, so a refusal, an unreachable network, a failed name lookup and a
 * silently dropped connection all end within the timeout.
 */
public final class NetworkReach {
  /** One target ({@code host:port}): connected, or why not (the shell's message, or a timeout). */
  public record Outcome(String target, boolean connected, String detail) {
    @Override
    public String toString() {
      return target + (connected ? " connected" : " not connected (" + detail + ")");
    }
  }

  private NetworkReach() {}

  /**
   * Tries every target from a container on {@code network} only ({@code none}: no network) and
   * returns one outcome per target, in order.
   */
  public static List<Outcome> from(
      Podman podman, String network, String image, List<String> targets, Duration timeout) {
    StringBuilder script = new StringBuilder();
    for (String target : targets) {
      int colon = target.lastIndexOf(':');
      String host = target.substring(0, colon);
      String port = target.substring(colon + 1);
      // One line per target: "<target> ok" or "<target> failed <exit code> <message>" (124:
      // timeout). The targets are tried at once (each line is one short write), so the container
      // waits one timeout, not one per target.
      script
          .append("( err=$(timeout ")
          .append(timeout.toSeconds())
          .append(" bash -c 'exec 3<>/dev/tcp/")
          .append(host)
          .append('/')
          .append(port)
          .append("' 2>&1); rc=$?; if [ $rc -eq 0 ]; then echo '")
          .append(target)
          .append(" ok'; else echo \"")
          .append(target)
          .append(" failed $rc $(echo $err | tr '\\n' ' ')\"; fi ) &\n");
    }
    script.append("wait\n");
    Commands.Result result =
        podman.runOnce(network, image, "bash", List.of("-c", script.toString()));
    List<Outcome> outcomes = new ArrayList<>();
    for (String target : targets) {
      String line =
          result
              .stdout()
              .lines()
              .filter(l -> l.startsWith(target + " "))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "the probe container on "
                              + network
                              + " said nothing about "
                              + target
                              + " (exit "
                              + result.exitCode()
                              + "):\n"
                              + result.output()));
      String rest = line.substring(target.length() + 1);
      outcomes.add(
          rest.equals("ok")
              ? new Outcome(target, true, "")
              : new Outcome(target, false, describe(rest.substring("failed ".length()))));
    }
    return outcomes;
  }

  private static String describe(String failure) {
    return failure.startsWith("124") ? "no answer: timed out" : failure.trim();
  }
}
