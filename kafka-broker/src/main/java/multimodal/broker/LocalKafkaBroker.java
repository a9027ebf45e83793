package multimodal.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import kafka.tools.StorageTool;

/**
 * Runs a real single-node KRaft broker (broker and controller in one process): for the local
 * platform ({@code bin/platform}) and as the entry point of the Kafka container image. Its data
 * folder is formatted on first start and reused afterwards, so topics and offsets survive restarts.
 *
 * <p>Settings: {@link BrokerOptions} (arguments {@code [data-dir [port [controller-port]]]} or the
 * {@code KAFKA_*} environment variables). Listens on 127.0.0.1 unless told otherwise.
 */
public final class LocalKafkaBroker {
  private LocalKafkaBroker() {}

  public static void main(String[] args) throws IOException {
    BrokerLogging.configure();
    BrokerOptions options;
    try {
      options = BrokerOptions.parse(List.of(args), System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("LocalKafkaBroker: " + e.getMessage());
      System.err.println(BrokerOptions.USAGE);
      System.exit(2);
      return;
    }
    Path config = BrokerConfig.write(options);
    Path logDir = BrokerConfig.logDir(options);
    if (!Files.exists(logDir.resolve("meta.properties"))) {
      int code =
          StorageTool.execute(
              new String[] {
                "format",
                "--standalone",
                "-t",
                options.clusterId(),
                "-c",
                config.toString(),
                "--ignore-formatted"
              },
              System.out);
      if (code != 0) {
        System.err.println("formatting " + logDir + " failed with exit code " + code);
        System.exit(code);
      }
    }
    kafka.Kafka.main(new String[] {config.toString()});
  }
}
