package multimodal.systemtest;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import multimodal.devkit.kafka.InJvmKafkaBroker;
import multimodal.devkit.onnx.CaptionFixtureModels;
import multimodal.devkit.onnx.FixtureModels;
import multimodal.devkit.pods.LocalPlatform;

/**
 * The platform as production runs it, started once for a test class or a suite: a real KRaft broker
 * and the four packaged services as separate JVM processes on free 127.0.0.1 ports, wired by Kafka
 * and gRPC, each with its management interface (health, metrics) on a port of its own. The system
 * tests that need a running platform all start it here, so that they run the same wiring.
 */
public final class RunningPlatform implements AutoCloseable {
  public static final String ENCODER = "encoder-service";
  public static final String GENERATOR = "generator-service";
  public static final String RETRIEVAL = "retrieval-service";
  public static final String GATEWAY = "gateway";

  /** Service-to-service token key (HS256), read by every service from this env var. */
  public static final String INTERNAL_AUTH_KEY_ENV = "MULTIMODAL_INTERNAL_AUTH_KEY";

  public static final Path ROOT =
      Path.of(System.getProperty("platform.root", "..")).toAbsolutePath().normalize();
  public static final Path LOGS =
      Path.of(System.getProperty("platform.logs", "target/system-test-logs"));
  private static final Path VISION_MODELS = ROOT.resolve("model-import/target/models");
  private static final Duration STARTUP = Duration.ofMinutes(3);

  /** An API key the gateway accepts, bound to a tenant. */
  public record ApiKey(String name, String key, String tenant) {}

  private final InJvmKafkaBroker broker;
  private final Map<String, ServiceProcess> services;
  private final String blobSigningKey;
  private final String internalAuthKey;

  private RunningPlatform(
      InJvmKafkaBroker broker,
      Map<String, ServiceProcess> services,
      String blobSigningKey,
      String internalAuthKey) {
    this.broker = broker;
    this.services = services;
    this.blobSigningKey = blobSigningKey;
    this.internalAuthKey = internalAuthKey;
  }

  /**
   * Starts the broker and the four services and waits until all are ready.
   *
   * @param keys the gateway's API keys
   * @param extra more system properties per service module (e.g. producer rules), over the defaults
   *     here
   * @param logs the folder of the services' logs ({@code <module>.log})
   */
  public static RunningPlatform start(
      List<ApiKey> keys, Map<String, Map<String, String>> extra, Path logs) throws Exception {
    InJvmKafkaBroker broker = InJvmKafkaBroker.start();
    Map<String, ServiceProcess> services = new LinkedHashMap<>();
    String blobSigningKey = randomKey();
    String internalAuthKey = randomKey();
    RunningPlatform platform =
        new RunningPlatform(broker, services, blobSigningKey, internalAuthKey);
    try {
      Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "system-");
      Path models = work.resolve("models");
      FixtureModels.main(new String[] {models.toString()});
      CaptionFixtureModels.main(new String[] {models.toString()});

      int encoderPort = ServiceProcess.freePort();
      int generatorPort = ServiceProcess.freePort();
      int retrievalPort = ServiceProcess.freePort();
      int gatewayPort = ServiceProcess.freePort();
      String kafka = broker.bootstrapServers();
      String blobPrefix = "http://127.0.0.1:" + gatewayPort + "/internal/blobs/";
      // Every service gets the same key; a service that does not know the setting ignores the env
      // var.
      Map<String, String> environment = Map.of(INTERNAL_AUTH_KEY_ENV, internalAuthKey);

      Map<String, String> encoder = new LinkedHashMap<>();
      encoder.put("kafka.bootstrap.servers", kafka);
      encoder.put("encoder.models.clip.dir", models.resolve("clip-fixture").toString());
      encoder.put(
          "encoder.models.minilm.dir",
          ROOT.resolve("encoder-service/target/models/minilm-l6-v2").toString());
      encoder.put("encoder.fetch.internal-prefix", blobPrefix);
      // as bin/platform and the images run it (media's resampler takes its Vector API passes)
      start(
          services,
          ENCODER,
          encoderPort,
          List.of("--add-modules=jdk.incubator.vector"),
          encoder,
          extra,
          environment,
          logs);

      Map<String, String> generator = new LinkedHashMap<>();
      generator.put("kafka.bootstrap.servers", kafka);
      generator.put("generator.models.caption.dir", models.resolve("caption-fixture").toString());
      generator.put("generator.models.vqa.dir", models.resolve("vqa-fixture").toString());
      generator.put("generator.diffusion.dir", models.resolve("diffusion-fixture").toString());
      // The real detector and safety classifier, imported from their npm packages by model-import.
      generator.put(
          "generator.vision.detector.dir", VISION_MODELS.resolve("centernet-coco").toString());
      generator.put(
          "generator.vision.safety.dir", VISION_MODELS.resolve("nsfw-mobilenet-v2-mid").toString());
      generator.put("generator.fetch.internal-prefix", blobPrefix);
      start(
          services,
          GENERATOR,
          generatorPort,
          List.of("--add-modules=jdk.incubator.vector"),
          generator,
          extra,
          environment,
          logs);

      Map<String, String> retrieval = new LinkedHashMap<>();
      retrieval.put("kafka.bootstrap.servers", kafka);
      retrieval.put("retrieval.index.dir", work.resolve("index").toString());
      retrieval.put("quarkus.grpc.clients.encoder.host", "127.0.0.1");
      retrieval.put("quarkus.grpc.clients.encoder.port", Integer.toString(encoderPort));
      // as k8s/base/retrieval-service.yaml and bin/platform run it (Lucene's SIMD scoring, madvise)
      start(
          services,
          RETRIEVAL,
          retrievalPort,
          List.of("--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"),
          retrieval,
          extra,
          environment,
          logs);

      Map<String, String> gateway = new LinkedHashMap<>();
      gateway.put("kafka.bootstrap.servers", kafka);
      gateway.put("quarkus.grpc.clients.retrieval.host", "127.0.0.1");
      gateway.put("quarkus.grpc.clients.retrieval.port", Integer.toString(retrievalPort));
      gateway.put("quarkus.grpc.clients.generator.host", "127.0.0.1");
      gateway.put("quarkus.grpc.clients.generator.port", Integer.toString(generatorPort));
      for (ApiKey key : keys) {
        gateway.put("gateway.auth.keys." + key.name() + ".sha256", LocalPlatform.sha256(key.key()));
        gateway.put("gateway.auth.keys." + key.name() + ".tenant", key.tenant());
      }
      gateway.put("gateway.blobs.dir", work.resolve("blobs").toString());
      gateway.put("gateway.blobs.base-url", "http://127.0.0.1:" + gatewayPort);
      gateway.put("gateway.blobs.signing-key", blobSigningKey);
      start(services, GATEWAY, gatewayPort, List.of(), gateway, extra, environment, logs);

      await("all services ready")
          .atMost(STARTUP)
          .pollInterval(Duration.ofSeconds(1))
          .until(platform::allReady);
      return platform;
    } catch (Exception | Error e) {
      platform.close();
      throw e;
    }
  }

  private static void start(
      Map<String, ServiceProcess> services,
      String module,
      int port,
      List<String> jvmOptions,
      Map<String, String> properties,
      Map<String, Map<String, String>> extra,
      Map<String, String> environment,
      Path logs)
      throws java.io.IOException {
    properties.putAll(extra.getOrDefault(module, Map.of()));
    services.put(
        module,
        ServiceProcess.start(ROOT, module, port, jvmOptions, properties, environment, logs));
  }

  private static String randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return HexFormat.of().formatHex(key);
  }

  /** True when every service answers ready on its management port; throws if one has exited. */
  public boolean allReady() {
    return services.values().stream().allMatch(ServiceProcess::ready);
  }

  public String gatewayUrl() {
    return services.get(GATEWAY).baseUrl();
  }

  public String kafkaBootstrap() {
    return broker.bootstrapServers();
  }

  /** The service port (HTTP and gRPC) of a module. */
  public int port(String module) {
    return services.get(module).port();
  }

  public int managementPort(String module) {
    return services.get(module).managementPort();
  }

  public List<String> modules() {
    return List.copyOf(services.keySet());
  }

  /** The gateway's HMAC key for claim-check URLs. */
  public String blobSigningKey() {
    return blobSigningKey;
  }

  /** The key every service was given for service-to-service tokens. */
  public String internalAuthKey() {
    return internalAuthKey;
  }

  ServiceProcess gateway() {
    return services.get(GATEWAY);
  }

  List<ServiceProcess> services() {
    return new ArrayList<>(services.values());
  }

  @Override
  public void close() throws InterruptedException {
    for (ServiceProcess service : services.values()) {
      service.close();
    }
    broker.close();
  }
}
