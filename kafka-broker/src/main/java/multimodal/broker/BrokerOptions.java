package multimodal.broker;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the single-node broker listens, what it tells clients, and where it keeps its data.
 *
 * <p>Read from the command line ({@code bin/platform}: {@code <data-dir> [port] [controller-port]})
 * and from environment variables (the container image, which has no command line to speak of). A
 * command-line argument wins over the variable of the same setting.
 *
 * <p>The client port is {@code KAFKA_LISTEN_PORT}; {@code KAFKA_PORT} (what the local pod overlay
 * and the Testcontainers resource set) is read when that is unset. Prefer the first: Kubernetes
 * injects {@code KAFKA_PORT=tcp://10.0.0.1:9092} into every pod of a namespace that has a Service
 * named {@code kafka} unless the pod sets it itself; a value like that is refused with a message
 * saying so.
 */
public record BrokerOptions(
    Path dataDir,
    String listenHost,
    int port,
    String advertisedHost,
    int advertisedPort,
    int controllerPort,
    int nodeId,
    String clusterId) {

  public static final String DATA_DIR = "KAFKA_DATA_DIR";
  public static final String LISTEN_HOST = "KAFKA_LISTEN_HOST";
  public static final String LISTEN_PORT = "KAFKA_LISTEN_PORT";

  /** The short name of {@link #LISTEN_PORT}, read only when that is unset. */
  public static final String PORT = "KAFKA_PORT";

  public static final String ADVERTISED_HOST = "KAFKA_ADVERTISED_HOST";
  public static final String ADVERTISED_PORT = "KAFKA_ADVERTISED_PORT";
  public static final String CONTROLLER_PORT = "KAFKA_CONTROLLER_PORT";
  public static final String NODE_ID = "KAFKA_NODE_ID";
  public static final String CLUSTER_ID = "KAFKA_CLUSTER_ID";

  public static final String DEFAULT_LISTEN_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 9092;
  public static final int DEFAULT_CONTROLLER_PORT = 9093;
  public static final int DEFAULT_NODE_ID = 1;

  /** The local run's cluster id; every formatted data folder carries it. */
  public static final String DEFAULT_CLUSTER_ID = "mm-local-cluster-0001";

  public static final String USAGE =
      "usage: LocalKafkaBroker [data-dir [port [controller-port]]]\n"
          + "  or set "
          + DATA_DIR
          + ", "
          + LISTEN_HOST
          + " (default "
          + DEFAULT_LISTEN_HOST
          + "), "
          + LISTEN_PORT
          + " or "
          + PORT
          + " (default "
          + DEFAULT_PORT
          + "), "
          + ADVERTISED_HOST
          + ", "
          + ADVERTISED_PORT
          + ", "
          + CONTROLLER_PORT
          + " (default "
          + DEFAULT_CONTROLLER_PORT
          + "), "
          + NODE_ID
          + " (default "
          + DEFAULT_NODE_ID
          + "), "
          + CLUSTER_ID;

  /** Host names that mean "every interface": clients cannot be told to connect there. */
  private static final Set<String> WILDCARD_HOSTS = Set.of("0.0.0.0", "::", "[::]");

  /**
   * Reads the settings.
   *
   * @throws IllegalArgumentException with a message fit for the user when a setting is missing or
   *     malformed
   */
  public static BrokerOptions parse(List<String> args, Map<String, String> env) {
    if (args.size() > 3) {
      throw new IllegalArgumentException("too many arguments: " + args);
    }
    String dataDir = args.size() > 0 ? args.get(0) : nonBlank(env.get(DATA_DIR));
    if (dataDir == null) {
      throw new IllegalArgumentException(
          "no data folder: give it as the first argument or in " + DATA_DIR);
    }
    String listenHost = orDefault(env.get(LISTEN_HOST), DEFAULT_LISTEN_HOST);
    String portVariable = nonBlank(env.get(LISTEN_PORT)) != null ? LISTEN_PORT : PORT;
    int port =
        args.size() > 1
            ? port(args.get(1), "port argument")
            : port(env, portVariable, DEFAULT_PORT);
    int controllerPort =
        args.size() > 2
            ? port(args.get(2), "controller-port argument")
            : port(env, CONTROLLER_PORT, DEFAULT_CONTROLLER_PORT);
    if (controllerPort == port) {
      throw new IllegalArgumentException(
          "the broker and the controller need two ports, both are " + port);
    }
    String advertisedHost = nonBlank(env.get(ADVERTISED_HOST));
    if (advertisedHost == null) {
      if (isWildcard(listenHost)) {
        throw new IllegalArgumentException(
            LISTEN_HOST
                + "="
                + listenHost
                + " listens on every interface; set "
                + ADVERTISED_HOST
                + " to the name clients reach this broker by (e.g. the Kubernetes Service name)");
      }
      advertisedHost = listenHost;
    }
    int advertisedPort = port(env, ADVERTISED_PORT, port);
    int nodeId = number(env, NODE_ID, DEFAULT_NODE_ID);
    String clusterId = orDefault(env.get(CLUSTER_ID), DEFAULT_CLUSTER_ID);
    return new BrokerOptions(
        Path.of(dataDir).toAbsolutePath(),
        listenHost,
        port,
        advertisedHost,
        advertisedPort,
        controllerPort,
        nodeId,
        clusterId);
  }

  /**
   * Where this process itself reaches the broker and the controller: the listen host, or the
   * loopback address when the broker listens on every interface.
   */
  public String localHost() {
    return isWildcard(listenHost) ? "127.0.0.1" : listenHost;
  }

  static boolean isWildcard(String host) {
    return host.isEmpty() || WILDCARD_HOSTS.contains(host);
  }

  private static int port(Map<String, String> env, String name, int fallback) {
    String value = nonBlank(env.get(name));
    return value == null ? fallback : port(value, name);
  }

  private static int port(String value, String what) {
    int port = parseInt(value, what);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(what + "=" + value + " is not a TCP port (1-65535)");
    }
    return port;
  }

  private static int number(Map<String, String> env, String name, int fallback) {
    String value = nonBlank(env.get(name));
    if (value == null) {
      return fallback;
    }
    int number = parseInt(value, name);
    if (number < 0) {
      throw new IllegalArgumentException(name + "=" + value + " must not be negative");
    }
    return number;
  }

  private static int parseInt(String value, String what) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      String hint =
          value.contains("://")
              ? " (it looks like a Kubernetes service link; set enableServiceLinks: false on the"
                  + " pod)"
              : "";
      throw new IllegalArgumentException(what + "=" + value + " is not a number" + hint, e);
    }
  }

  private static String orDefault(String value, String fallback) {
    String given = nonBlank(value);
    return given == null ? fallback : given;
  }

  private static String nonBlank(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
