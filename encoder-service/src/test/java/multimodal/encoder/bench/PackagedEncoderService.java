package multimodal.encoder.bench;

import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import multimodal.internalauth.CallTokenClientInterceptor;
import multimodal.v1.EncoderServiceGrpc;
import multimodal.v1.ListModelsRequest;

/**
 * The packaged encoder-service ({@code target/quarkus-app/quarkus-run.jar}) run as a child process
 * on 127.0.0.1 for a benchmark: free ports, a fresh internal-auth key, the given CLIP directory,
 * and no Kafka broker (the ingest channel is switched off, so only gRPC uses the cores). Calls made
 * through {@link #encoder} carry retrieval-service's call token, as the real caller's do.
 */
final class PackagedEncoderService implements AutoCloseable {
  private final Process process;
  private final int grpcPort;
  private final int managementPort;
  private final String key;
  private final Path log;
  private final HttpClient http = HttpClient.newHttpClient();

  private PackagedEncoderService(
      Process process, int grpcPort, int managementPort, String key, Path log) {
    this.process = process;
    this.grpcPort = grpcPort;
    this.managementPort = managementPort;
    this.key = key;
    this.log = log;
  }

  /**
   * Starts the service and returns once it answers {@code ListModels} with {@code clip} loaded.
   *
   * @param jvmOptions extra options for the service's JVM (a heap size, a JFR recording)
   */
  static PackagedEncoderService start(
      Path jar, Path clipDir, Path log, List<String> jvmOptions, Duration startTimeout)
      throws IOException, InterruptedException {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException(
          jar.toAbsolutePath()
              + " does not exist: package the service first (./mvnw -pl encoder-service -am"
              + " package -DskipTests)");
    }
    int grpcPort = freePort();
    int managementPort = freePort();
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    String key = Base64.getEncoder().encodeToString(secret);
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmOptions);
    command.addAll(
        List.of(
            "-Dquarkus.http.host=127.0.0.1",
            "-Dquarkus.http.port=" + grpcPort,
            "-Dquarkus.management.host=127.0.0.1",
            "-Dquarkus.management.port=" + managementPort,
            "-Dencoder.models.clip.dir=" + clipDir.toAbsolutePath(),
            // No broker here: the Kafka channels stay closed, so nothing but gRPC runs.
            "-Dmp.messaging.incoming.ingest-in.enabled=false",
            "-Dkafka.bootstrap.servers=127.0.0.1:" + freePort(),
            // ... and the dead-letter producer, which finds no broker there, retries rarely
            // (at its default back-off it cost 0.7 ms of CPU per image in the gRPC benchmark).
            "-Dkafka.reconnect.backoff.ms=10000",
            "-Dkafka.reconnect.backoff.max.ms=60000",
            "-jar",
            jar.toAbsolutePath().toString()));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    // The key goes by environment, not on the command line that ps shows.
    builder.environment().put("MULTIMODAL_INTERNAL_AUTH_KEY", key);
    PackagedEncoderService service =
        new PackagedEncoderService(builder.start(), grpcPort, managementPort, key, log);
    try {
      service.awaitModels(startTimeout);
    } catch (RuntimeException | IOException | InterruptedException e) {
      service.close();
      throw e;
    }
    return service;
  }

  /**
   * A channel to the service's gRPC port (the caller shuts it down). Asynchronous callbacks run on
   * the channel's network thread (direct executor): the load generator shares the service's cores,
   * so it should not add a thread hop per call.
   */
  ManagedChannel channel() {
    return ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort)
        .usePlaintext()
        .directExecutor()
        .maxInboundMessageSize(64 << 20)
        .build();
  }

  /** The asynchronous encoder stub, each call with a fresh retrieval-service call token. */
  EncoderServiceGrpc.EncoderServiceStub asyncEncoder(ManagedChannel channel) {
    return EncoderServiceGrpc.newStub(channel).withInterceptors(callToken());
  }

  /** The encoder stub, each call with a fresh retrieval-service call token. */
  EncoderServiceGrpc.EncoderServiceBlockingStub encoder(ManagedChannel channel) {
    return EncoderServiceGrpc.newBlockingStub(channel).withInterceptors(callToken());
  }

  private ClientInterceptor callToken() {
    return CallTokenClientInterceptor.configured(
        "retrieval-service", Optional.of(key), Optional.empty());
  }

  long pid() {
    return process.pid();
  }

  /** CPU time the service's process has used so far (all its threads). */
  Duration cpuTime() {
    return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
  }

  /** The Prometheus text of {@code /q/metrics}. */
  String metrics() throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/q/metrics"))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return response.body();
  }

  private void awaitModels(Duration timeout) throws IOException, InterruptedException {
    long until = System.nanoTime() + timeout.toNanos();
    ManagedChannel channel = channel();
    try {
      while (true) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "the service exited with " + process.exitValue() + "; see " + log.toAbsolutePath());
        }
        try {
          boolean clip =
              encoder(channel)
                  .withDeadlineAfter(10, TimeUnit.SECONDS)
                  .listModels(ListModelsRequest.getDefaultInstance())
                  .getModelsList()
                  .stream()
                  .anyMatch(m -> m.getName().equals("clip"));
          if (clip) {
            return;
          }
        } catch (StatusRuntimeException notYet) {
          // not listening yet, or UNAVAILABLE while the models load
        }
        if (System.nanoTime() > until) {
          throw new IllegalStateException(
              "the service did not serve clip within " + timeout + "; see " + log.toAbsolutePath());
        }
        Thread.sleep(500);
      }
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy(); // SIGTERM: Quarkus shuts down (and ends a JFR recording) cleanly
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
