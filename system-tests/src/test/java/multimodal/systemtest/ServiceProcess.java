package multimodal.systemtest;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One packaged service ({@code target/quarkus-app/quarkus-run.jar}) running as its own process. */
final class ServiceProcess implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final String name;
  private final int port;
  private final int managementPort;
  private final Process process;
  private final Path log;

  private ServiceProcess(String name, int port, int managementPort, Process process, Path log) {
    this.name = name;
    this.port = port;
    this.managementPort = managementPort;
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code <root>/<module>/target/quarkus-app/quarkus-run.jar} on 127.0.0.1:port, its
   * management interface (health, metrics) on a free port of its own.
   */
  static ServiceProcess start(
      Path root, String module, int port, Map<String, String> properties, Path logDir)
      throws IOException {
    return start(root, module, port, List.of(), properties, Map.of(), logDir);
  }

  /**
   * As above, with JVM options before the system properties (as the service's deployment sets them)
   * and environment variables (secrets travel as env vars, as the Kubernetes manifests pass them).
   */
  static ServiceProcess start(
      Path root,
      String module,
      int port,
      List<String> jvmOptions,
      Map<String, String> properties,
      Map<String, String> environment,
      Path logDir)
      throws IOException {
    Path jar = root.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    if (!Files.exists(jar)) {
      throw new IllegalStateException(
          jar + " is missing: package the services first (./mvnw verify does)");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.addAll(jvmOptions);
    command.add("-Dquarkus.http.host=127.0.0.1");
    command.add("-Dquarkus.http.port=" + port);
    int managementPort = freePort();
    command.add("-Dquarkus.management.host=127.0.0.1");
    command.add("-Dquarkus.management.port=" + managementPort);
    properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.add("-jar");
    command.add(jar.toString());
    Files.createDirectories(logDir);
    Path log = logDir.resolve(module + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    Process process = builder.start();
    return new ServiceProcess(module, port, managementPort, process, log);
  }

  String name() {
    return name;
  }

  int port() {
    return port;
  }

  int managementPort() {
    return managementPort;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /**
   * True when {@code /q/health/ready} on the management port answers 200; fails fast if the process
   * died.
   */
  boolean ready() {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          name + " exited with " + process.exitValue() + "; see " + log);
    }
    try {
      HttpResponse<Void> response =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + managementPort + "/q/health/ready"))
                  .timeout(Duration.ofSeconds(3))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** A port free on the loopback interface now (the service binds it a moment later). */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
