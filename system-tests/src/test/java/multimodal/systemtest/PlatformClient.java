package multimodal.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import multimodal.v1.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A running platform seen from the outside, however it was started (processes or pods): the
 * gateway's REST API with one API key, and plain Kafka clients on its broker.
 */
public final class PlatformClient {
  public static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final String gatewayUrl;
  private final String apiKey;
  private final String kafkaBootstrap;

  public PlatformClient(String gatewayUrl, String apiKey, String kafkaBootstrap) {
    this.gatewayUrl = gatewayUrl;
    this.apiKey = apiKey;
    this.kafkaBootstrap = kafkaBootstrap;
  }

  public String gatewayUrl() {
    return gatewayUrl;
  }

  public String apiKey() {
    return apiKey;
  }

  /** Uploads one image file; returns the response (202 and a mediaId when accepted). */
  public HttpResponse<String> upload(Path image) throws IOException, InterruptedException {
    String name = image.toString();
    String type =
        name.endsWith(".png")
            ? "image/png"
            : name.endsWith(".wav")
                ? "audio/wav"
                : name.endsWith(".mp4") ? "video/mp4" : "image/jpeg";
    Multipart form =
        Multipart.ofFile("file", image.getFileName().toString(), type, Files.readAllBytes(image));
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(gatewayUrl + "/v1/media"))
            .header("X-API-Key", apiKey)
            .header("Content-Type", form.contentType())
            .POST(form.publisher())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(gatewayUrl + path)).header("X-API-Key", apiKey).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** GET without an API key. */
  public int anonymousStatus(String path) throws IOException, InterruptedException {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(gatewayUrl + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  public JsonNode status(String mediaId) throws IOException, InterruptedException {
    HttpResponse<String> response = get("/v1/media/" + mediaId);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  public List<String> searchIds(String query, int k) throws IOException, InterruptedException {
    JsonNode hits = search(query, k).get("hits");
    List<String> ids = new ArrayList<>();
    hits.forEach(hit -> ids.add(hit.get("mediaId").asText()));
    return ids;
  }

  public JsonNode search(String query, int k) throws IOException, InterruptedException {
    HttpResponse<String> response =
        get("/v1/search?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&k=" + k);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  /** Parses a protobuf event value; the checked exception of protobuf's parseFrom. */
  public interface EventParser<T> {
    T parse(byte[] value) throws com.google.protobuf.InvalidProtocolBufferException;
  }

  /** The first event on {@code topic} keyed by {@code mediaId}, read from the beginning. */
  public <T> T topicEvent(String topic, String mediaId, EventParser<T> parser) {
    List<T> found = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      consumer.subscribe(List.of(topic));
      await(topic + " event for " + mediaId)
          .atMost(Duration.ofMinutes(1))
          .until(
              () -> {
                for (ConsumerRecord<String, byte[]> record :
                    consumer.poll(Duration.ofMillis(500))) {
                  if (mediaId.equals(record.key())) {
                    found.add(parser.parse(record.value()));
                  }
                }
                return !found.isEmpty();
              });
    }
    return found.get(0);
  }

  /** The dead-letter reason header of each of {@code keys} on the encoder's dead-letter topic. */
  public Map<String, String> deadLetterReasons(Set<String> keys) {
    Map<String, String> reasons = new HashMap<>();
    try (KafkaConsumer<String, byte[]> consumer = consumer()) {
      consumer.subscribe(List.of(Topics.MEDIA_INGEST_ENCODER_DLQ));
      await("dead letters for " + keys)
          .atMost(Duration.ofMinutes(1))
          .until(
              () -> {
                for (ConsumerRecord<String, byte[]> record :
                    consumer.poll(Duration.ofMillis(500))) {
                  Header reason = record.headers().lastHeader("dead-letter-reason");
                  if (keys.contains(record.key()) && reason != null) {
                    reasons.put(record.key(), new String(reason.value(), StandardCharsets.UTF_8));
                  }
                }
                return reasons.keySet().containsAll(keys);
              });
    }
    return reasons;
  }

  public KafkaProducer<String, byte[]> producer() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  private KafkaConsumer<String, byte[]> consumer() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "system-test-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * Asserts that the gRPC server on {@code port} is SERVING and lists the platform's services by
   * reflection.
   */
  public static void assertGrpcHealthAndReflection(String service, int port)
      throws InterruptedException {
    assertGrpcHealthAndReflection(service, port, null);
  }

  /**
   * As above; reflection with {@code authorization} (a service token: the internal services answer
   * reflection only to callers they admit; health needs none), when not null.
   */
  public static void assertGrpcHealthAndReflection(String service, int port, String authorization)
      throws InterruptedException {
    assertGrpcHealthAndReflection(service, "127.0.0.1", port, authorization);
  }

  /** As above, for a server on {@code host} (a pod's address on a podman network). */
  public static void assertGrpcHealthAndReflection(
      String service, String host, int port, String authorization) throws InterruptedException {
    ManagedChannel channel = ManagedChannelBuilder.forAddress(host, port).usePlaintext().build();
    try {
      HealthCheckResponse health =
          HealthGrpc.newBlockingStub(channel)
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .check(HealthCheckRequest.getDefaultInstance());
      assertThat(health.getStatus())
          .as(service)
          .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

      List<String> names = new ArrayList<>();
      CountDownLatch done = new CountDownLatch(1);
      StreamObserver<ServerReflectionRequest> requests =
          reflection(channel, authorization)
              .serverReflectionInfo(
                  new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse response) {
                      response
                          .getListServicesResponse()
                          .getServiceList()
                          .forEach(s -> names.add(s.getName()));
                    }

                    @Override
                    public void onError(Throwable t) {
                      done.countDown();
                    }

                    @Override
                    public void onCompleted() {
                      done.countDown();
                    }
                  });
      requests.onNext(ServerReflectionRequest.newBuilder().setListServices("*").build());
      requests.onCompleted();
      assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(names)
          .as(service)
          .contains("grpc.health.v1.Health")
          .anyMatch(n -> n.startsWith("multimodal.v1."));
    } finally {
      channel.shutdownNow();
    }
  }

  private static ServerReflectionGrpc.ServerReflectionStub reflection(
      ManagedChannel channel, String authorization) {
    ServerReflectionGrpc.ServerReflectionStub stub = ServerReflectionGrpc.newStub(channel);
    if (authorization == null) {
      return stub;
    }
    Metadata metadata = new Metadata();
    metadata.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), authorization);
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata));
  }

  public static byte[] solidPng(Color colour) throws IOException {
    BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(colour);
    g.fillRect(0, 0, 64, 48);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }
}
