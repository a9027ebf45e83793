package multimodal.broker;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;

/**
 * The container image's health check: exits 0 when this node's broker is registered and unfenced
 * (running) according to its controller and its client port accepts connections, else 1. A Java
 * main because the image has no shell and no Kafka scripts.
 *
 * <p>It asks the controller ({@code bootstrap.controllers}) rather than the broker, because a
 * client of the broker port is sent on to the advertised host, a name that need not resolve inside
 * the container (a Kubernetes Service, the host of a port mapping).
 */
public final class BrokerHealthCheck {
  private static final int TIMEOUT_MS = 5_000;

  private BrokerHealthCheck() {}

  public static void main(String[] args) {
    BrokerLogging.configure();
    try {
      BrokerOptions options = BrokerOptions.parse(List.of(args), System.getenv());
      String controller = options.localHost() + ":" + options.controllerPort();
      Map<String, Object> config =
          Map.of(
              AdminClientConfig.BOOTSTRAP_CONTROLLERS_CONFIG, controller,
              AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS,
              AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
      List<Integer> running;
      try (Admin admin = Admin.create(config)) {
        running =
            admin.describeCluster().nodes().get(TIMEOUT_MS, TimeUnit.MILLISECONDS).stream()
                .map(Node::id)
                .toList();
      }
      if (!running.contains(options.nodeId())) {
        System.err.println(
            "broker "
                + options.nodeId()
                + " is not running yet (controller "
                + controller
                + " knows "
                + running
                + ")");
        System.exit(1);
      }
      checkAcceptsConnections(options.localHost(), options.port());
      System.out.println("broker " + options.nodeId() + " is running on port " + options.port());
      System.exit(0);
    } catch (Exception e) {
      System.err.println("broker is not healthy: " + e);
      System.exit(1);
    }
  }

  private static void checkAcceptsConnections(String host, int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
    }
  }
}
