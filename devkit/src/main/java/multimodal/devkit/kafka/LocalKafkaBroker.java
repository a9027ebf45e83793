package multimodal.devkit.kafka;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import kafka.tools.StorageTool;

/**
 * Runs a real single-node KRaft broker as its own process for the local platform
 * ({@code bin/platform}). Its data lives under a project-local folder, formatted on first start
 * and reused afterwards, so topics and offsets survive restarts.
 *
 * <p>Usage: {@code LocalKafkaBroker <data-dir> [port] [controller-port]} (defaults 9092, 9093).
 * Listens on 127.0.0.1 only.
 */
public final class LocalKafkaBroker {
  private static final String CLUSTER_ID = "mm-local-cluster-0001";

  private LocalKafkaBroker() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: LocalKafkaBroker <data-dir> [port] [controller-port]");
      System.exit(2);
    }
    Path dataDir = Path.of(args[0]).toAbsolutePath();
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 9092;
    int controllerPort = args.length > 2 ? Integer.parseInt(args[2]) : 9093;

    Path logDir = dataDir.resolve("kraft-logs");
    Files.createDirectories(logDir);
    Path config = writeConfig(dataDir, logDir, port, controllerPort);

    if (!Files.exists(logDir.resolve("meta.properties"))) {
      int code =
          StorageTool.execute(
              new String[] {"format", "--standalone", "-t", CLUSTER_ID, "-c", config.toString(), "--ignore-formatted"},
              System.out);
      if (code != 0) {
        System.err.println("formatting " + logDir + " failed with exit code " + code);
        System.exit(code);
      }
    }
    kafka.Kafka.main(new String[] {config.toString()});
  }

  private static Path writeConfig(Path dataDir, Path logDir, int port, int controllerPort) throws IOException {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("process.roles", "broker,controller");
    props.put("node.id", "1");
    props.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
    props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    props.put("controller.listener.names", "CONTROLLER");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("log.dirs", logDir.toString());
    props.putAll(BrokerSettings.singleNode());
    Path config = dataDir.resolve("server.properties");
    try (Writer out = Files.newBufferedWriter(config)) {
      out.write("# Written by LocalKafkaBroker on every start; edit BrokerSettings instead.\n");
      for (Map.Entry<String, String> e : props.entrySet()) {
        out.write(e.getKey() + "=" + e.getValue() + "\n");
      }
    }
    return config;
  }
}
