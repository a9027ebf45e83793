package multimodal.systemtest.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import multimodal.systemtest.RunningPlatform;
import multimodal.v1.ClassifyRequest;
import multimodal.v1.ImageSource;
import multimodal.v1.ImageTarget;
import multimodal.v1.Topics;
import multimodal.v1.ingest.IngestEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Server-side request forgery through every field that takes a URL. The platform runs with private
 * addresses refused (the fetchers' default; only the gateway's claim-check prefix may be private),
 * and {@link LoopbackServer} on 127.0.0.1 stands for what is inside: no case may reach it.
 */
@ExtendWith(HostileSuite.class)
class HostileSsrfIT {
  private static final String NON_PUBLIC = "non-public address";
  private static final String NON_STANDARD = "non-standard form";
  private static HostileWorld world;
  private int requestsBefore;

  @BeforeAll
  static void world(HostileWorld w) {
    world = w;
  }

  @BeforeEach
  void countRequests() {
    requestsBefore = world.loopback().requests();
  }

  @AfterEach
  void nothingReachedTheInside() {
    assertThat(world.loopback().requests())
        .as("requests that reached the loopback server")
        .isEqualTo(requestsBefore);
  }

  private static String loopbackImage() {
    return world.loopback().url("127.0.0.1", "/img.png");
  }

  private static String json(String field, String uri) {
    return "{\""
        + field
        + "\":\""
        + uri
        + "\",\"labels\":[\"red\",\"blue\"],\"templates\":[\"a photo of"
        + " {}\"],\"texts\":[\"red\",\"blue\"],\"question\":\"what is it?\"}";
  }

  @ParameterizedTest(name = "caption of http://{0}:port/ is refused: {1}")
  @CsvSource({
    "169.254.169.254, " + NON_PUBLIC,
    "127.0.0.1, " + NON_PUBLIC,
    "10.0.0.1, " + NON_PUBLIC,
    "172.16.0.1, " + NON_PUBLIC,
    "192.168.1.1, " + NON_PUBLIC,
    "100.64.0.1, " + NON_PUBLIC,
    "0.0.0.0, " + NON_PUBLIC,
    "[::1], " + NON_PUBLIC,
    "[::ffff:127.0.0.1], " + NON_PUBLIC,
    "[fc00::1], " + NON_PUBLIC,
    "[fd00:ec2::254], " + NON_PUBLIC,
    "[fe80::1], " + NON_PUBLIC,
    "[2002:7f00:1::], " + NON_PUBLIC,
    "[2001:0:4136:e378:8000:63bf:80ff:fffe], " + NON_PUBLIC,
    "[64:ff9b::7f00:1], " + NON_PUBLIC,
    "[64:ff9b::a9fe:a9fe], " + NON_PUBLIC,
    "2130706433, " + NON_STANDARD,
    "0x7f000001, " + NON_STANDARD,
    "0177.0.0.1, " + NON_STANDARD,
    "127.1, must be an absolute http or https URL with a host",
    "localhost, " + NON_PUBLIC,
  })
  void privateAddressesInEveryDisguiseAreRefused(String host, String reason) throws Exception {
    HttpResponse<String> caption =
        world
            .attacker()
            .postJson("/v1/caption", json("uri", world.loopback().url(host, "/img.png")));
    assertThat(caption.statusCode()).as(caption.body()).isEqualTo(400);
    assertThat(caption.body()).contains(reason);
  }

  @ParameterizedTest(name = "POST {0} with a loopback uri is a 400 naming the address")
  @ValueSource(strings = {"/v1/classify", "/v1/rank-texts", "/v1/ocr", "/v1/analyze"})
  void everyRestRouteThatTakesAUriRefusesLoopback(String route) throws Exception {
    HttpResponse<String> answer = world.attacker().postJson(route, json("uri", loopbackImage()));
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
    assertThat(answer.body()).contains(NON_PUBLIC);
  }

  @Test
  void askWithALoopbackUriAnswersAnErrorAndNoText() throws Exception {
    HttpResponse<String> answer =
        world.attacker().postJson("/v1/ask", json("uri", loopbackImage()));
    assertThat(answer.body())
        .contains(NON_PUBLIC)
        .doesNotContain("event: final")
        .doesNotContain("event:final");
  }

  @Test
  void redirectsToTheMetadataEndpointAreNeverFollowed() throws Exception {
    HttpResponse<String> caption =
        world
            .attacker()
            .postJson("/v1/caption", json("uri", world.loopback().url("127.0.0.1", "/redirect")));
    assertThat(caption.statusCode()).as(caption.body()).isEqualTo(400);
    assertThat(caption.body()).contains(NON_PUBLIC);
  }

  @Test
  void urlIngestOfALoopbackUrlIsDeadLetteredByEveryWorker() throws Exception {
    HttpResponse<String> ingest =
        world.attacker().postJson("/v1/media", "{\"uri\":\"" + loopbackImage() + "\"}");
    assertThat(ingest.statusCode()).as(ingest.body()).isEqualTo(202);
    String id = Rest.json(ingest).path("mediaId").asText();
    assertThat(world.kafka().awaitDeadLetter(Topics.MEDIA_INGEST_ENCODER_DLQ, id).reason())
        .contains(NON_PUBLIC);
    assertThat(world.kafka().awaitDeadLetter(Topics.MEDIA_INGEST_GENERATOR_DLQ, id).reason())
        .contains(NON_PUBLIC);
  }

  @Test
  void batchUrlIngestOfALoopbackUrlIsDeadLettered() throws Exception {
    HttpResponse<String> batch =
        world
            .attacker()
            .postJson(
                "/v1/media/batch",
                "{\"items\":[{\"uri\":\""
                    + world.loopback().url("127.0.0.1", "/batch.png")
                    + "\"}]}");
    assertThat(batch.statusCode()).as(batch.body()).isEqualTo(200);
    String id = Rest.json(batch).path("items").get(0).path("mediaId").asText();
    assertThat(world.kafka().awaitDeadLetter(Topics.MEDIA_INGEST_ENCODER_DLQ, id).reason())
        .contains(NON_PUBLIC);
  }

  @Test
  void grpcCaptionOfALoopbackUrlIsInvalidArgument() {
    try (PublicGrpc grpc = PublicGrpc.open(world, HostileWorld.ATTACKER_KEY)) {
      StatusRuntimeException refused =
          grpc.captionFails(world.loopback().url("[::ffff:127.0.0.1]", "/img.png"));
      assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(refused.getStatus().getDescription()).contains(NON_PUBLIC);
    }
  }

  @Test
  void grpcClassifyOfAMetadataUrlIsInvalidArgument() {
    try (PublicGrpc grpc = PublicGrpc.open(world, HostileWorld.ATTACKER_KEY)) {
      ClassifyRequest request =
          ClassifyRequest.newBuilder()
              .setImage(
                  ImageTarget.newBuilder()
                      .setImage(
                          ImageSource.newBuilder()
                              .setUri("http://169.254.169.254/latest/meta-data/")))
              .addLabels("a")
              .addLabels("b")
              .addTemplates("a photo of {}")
              .build();
      StatusRuntimeException refused =
          assertThrows(StatusRuntimeException.class, () -> grpc.retrieval().classify(request));
      assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(refused.getStatus().getDescription()).contains(NON_PUBLIC);
    }
  }

  private static String deadLetterOfUri(String uri) throws Exception {
    String id = "hostile-ssrf-" + UUID.randomUUID();
    world
        .kafka()
        .sendStructured(
            new IngestEvent(
                UUID.randomUUID().toString(),
                HostileWorld.TRUSTED_SOURCE,
                Instant.now(),
                id,
                "mallory",
                "image/png",
                uri,
                null,
                Map.of(),
                List.of()));
    return world.kafka().awaitDeadLetter(Topics.MEDIA_INGEST_ENCODER_DLQ, id).reason();
  }

  @Test
  void kafkaDataUriOnLoopbackIsDeadLettered() throws Exception {
    assertThat(deadLetterOfUri(world.loopback().url("localhost", "/img.png"))).contains(NON_PUBLIC);
  }

  @Test
  void kafkaDataUriOnAServicesManagementPortIsDeadLettered() throws Exception {
    int management = world.platform().managementPort(RunningPlatform.GATEWAY);
    assertThat(deadLetterOfUri("http://127.0.0.1:" + management + "/q/metrics"))
        .contains(NON_PUBLIC);
  }

  @Test
  void kafkaDataUriEscapingTheClaimCheckPrefixIsDeadLettered() throws Exception {
    // Under the prefix as written, outside it once the dots are resolved: an ordinary loopback URL.
    assertThat(deadLetterOfUri(world.gatewayUrl() + "/internal/blobs/../../q/openapi"))
        .contains(NON_PUBLIC);
  }

  @Test
  void kafkaFileUriIsDeadLettered() throws Exception {
    assertThat(deadLetterOfUri("file:///etc/passwd")).contains("file: URIs are disabled");
  }

  @ParameterizedTest(name = "REST uri {0} is a 400 at the door")
  @ValueSource(
      strings = {
        "file:///etc/passwd",
        "gopher://127.0.0.1:70/",
        "ftp://example.com/a.png",
        "http:///no-host.png"
      })
  void nonHttpUrisAreRefusedAtTheDoor(String uri) throws Exception {
    HttpResponse<String> ingest =
        world.attacker().postJson("/v1/media", "{\"uri\":\"" + uri + "\"}");
    assertThat(ingest.statusCode()).as(ingest.body()).isEqualTo(400);
  }
}
