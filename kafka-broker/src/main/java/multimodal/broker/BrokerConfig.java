package multimodal.broker;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code server.properties} of a single combined broker+controller node (KRaft). */
public final class BrokerConfig {
  private BrokerConfig() {}

  /** The folder under the data folder that holds the log segments and {@code meta.properties}. */
  public static Path logDir(BrokerOptions options) {
    return options.dataDir().resolve("kraft-logs");
  }

  public static Map<String, String> properties(BrokerOptions options) {
    String controller = options.localHost() + ":" + options.controllerPort();
    Map<String, String> props = new LinkedHashMap<>();
    props.put("process.roles", "broker,controller");
    props.put("node.id", Integer.toString(options.nodeId()));
    // The only voter is this node, which reaches its own controller on the local address.
    props.put("controller.quorum.bootstrap.servers", controller);
    props.put(
        "listeners",
        "PLAINTEXT://"
            + options.listenHost()
            + ":"
            + options.port()
            + ",CONTROLLER://"
            + options.listenHost()
            + ":"
            + options.controllerPort());
    props.put(
        "advertised.listeners",
        "PLAINTEXT://"
            + options.advertisedHost()
            + ":"
            + options.advertisedPort()
            + ",CONTROLLER://"
            + controller);
    props.put("controller.listener.names", "CONTROLLER");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("log.dirs", logDir(options).toString());
    props.putAll(BrokerSettings.singleNode());
    return props;
  }

  /** Writes {@code <data-dir>/server.properties} (again on every start) and returns its path. */
  public static Path write(BrokerOptions options) throws IOException {
    Files.createDirectories(logDir(options));
    Path config = options.dataDir().resolve("server.properties");
    try (Writer out = Files.newBufferedWriter(config)) {
      out.write(
          "# Written by LocalKafkaBroker on every start; edit BrokerSettings or its options"
              + " instead.\n");
      for (Map.Entry<String, String> e : properties(options).entrySet()) {
        out.write(e.getKey() + "=" + e.getValue() + "\n");
      }
    }
    return config;
  }
}
