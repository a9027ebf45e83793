package multimodal.systemtest.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import multimodal.v1.CaptionRequest;
import multimodal.v1.ImageSource;
import multimodal.v1.IngestMediaRequest;
import multimodal.v1.Limits;
import multimodal.v1.Topics;
import multimodal.v1.ingest.IngestEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

/**
 * Sizes at and just over each limit of multimodal.v1.Limits, and images that lie: a header that
 * declares billions of pixels, data cut short, noise where the pixels should be. What is let in at
 * the door is processed; what is over a limit is refused where the documentation says, with the
 * numbers.
 */
@ExtendWith(HostileSuite.class)
class HostileLimitsIT {
  private static HostileWorld world;

  @BeforeAll
  static void world(HostileWorld w) {
    world = w;
  }

  @AfterEach
  void victimIntact() throws Exception {
    world.assertVictimIntact();
  }

  private static void awaitIndexed(String id) {
    await(id + " indexed")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> world.attacker().embedded(id));
  }

  @Test
  void anUploadOfExactlyTheImageLimitIsAcceptedAndIndexed() throws Exception {
    HttpResponse<String> upload =
        world.attacker().upload(Images.form(Images.pngOfExactly(Limits.IMAGE_MAX_BYTES)));
    assertThat(upload.statusCode()).as(upload.body()).isEqualTo(202);
    String id = Rest.json(upload).path("mediaId").asText();
    awaitIndexed(id);
    assertThat(world.kafka().deadLettersOf(id)).isEmpty();
  }

  @Test
  void anUploadOneByteOverTheLimitIsA413WithTheNumbers() throws Exception {
    HttpResponse<String> upload =
        world.attacker().upload(Images.form(Images.pngOfExactly(Limits.IMAGE_MAX_BYTES + 1)));
    assertThat(upload.statusCode()).as(upload.body()).isEqualTo(413);
    assertThat(upload.body()).contains(Long.toString(Limits.IMAGE_MAX_BYTES));
  }

  @Test
  void aBodyDeclaredOverTheHttpLimitIsRefusedWith413BeforeAnyOfItIsRead() throws Exception {
    // The upload route takes audio and video up to 512 MiB: its body limit is quarkus.http.limits.
    // max-body-size, 544M (the file plus the multipart framing); other routes' is 32M.
    long uploadLimit = 544L * 1024 * 1024;
    String answer = world.attacker().answerToUploadHeadersAlone(uploadLimit + 1);
    assertThat(answer).startsWith("HTTP/1.1 413 ");
    assertThat(answer).containsIgnoringCase("content-type: application/problem+json");
    assertThat(answer).contains("body-too-large").contains(Long.toString(uploadLimit));
  }

  @Test
  void anEmptyUploadIsA400() throws Exception {
    assertThat(world.attacker().upload(Images.form(new byte[0])).statusCode()).isEqualTo(400);
  }

  @Test
  void bytesThatAreNoImageAreA415() throws Exception {
    assertThat(
            world.attacker().upload(Images.form("<svg onload=alert(1)>".getBytes())).statusCode())
        .isEqualTo(415);
  }

  @Test
  void inlineBytesOfExactlyTheLimitAreIndexed() throws Exception {
    String id = "hostile-inline-max-" + UUID.randomUUID();
    world.kafka().sendStructured(inline(id, Images.pngOfExactly(Limits.IMAGE_MAX_BYTES)));
    awaitIndexed(id);
    assertThat(world.kafka().deadLettersOf(id)).isEmpty();
  }

  @Test
  void inlineBytesOneOverTheLimitAreDeadLetteredWithTheLimit() throws Exception {
    String id = "hostile-inline-over-" + UUID.randomUUID();
    world.kafka().sendStructured(inline(id, Images.pngOfExactly(Limits.IMAGE_MAX_BYTES + 1)));
    assertThat(world.kafka().awaitDeadLetter(Topics.MEDIA_INGEST_ENCODER_DLQ, id).reason())
        .contains("over the platform's image limit of " + Limits.IMAGE_MAX_BYTES);
  }

  private static IngestEvent inline(String id, byte[] bytes) {
    return new IngestEvent(
        UUID.randomUUID().toString(),
        HostileWorld.TRUSTED_SOURCE,
        Instant.now(),
        id,
        "mallory",
        "image/png",
        null,
        bytes,
        Map.of(),
        List.of());
  }

  @Test
  void aPixelBombUploadIsAcceptedAtTheDoorThenDeadLetteredWithThePixelLimit() throws Exception {
    HttpResponse<String> upload =
        world.attacker().upload(Images.form(Images.pngDeclaring(65_535, 65_535)));
    assertThat(upload.statusCode()).as("the gateway does not decode uploads").isEqualTo(202);
    String id = Rest.json(upload).path("mediaId").asText();
    assertThat(world.kafka().awaitDeadLetter(Topics.MEDIA_INGEST_ENCODER_DLQ, id).reason())
        .contains("over the limit of " + Limits.IMAGE_MAX_PIXELS);
    assertThat(world.kafka().awaitDeadLetter(Topics.MEDIA_INGEST_GENERATOR_DLQ, id).reason())
        .contains("over the limit of " + Limits.IMAGE_MAX_PIXELS);
    // The thumbnail is not decoded either: the image is served as stored.
    HttpResponse<byte[]> thumbnail = world.attacker().getBytes("/v1/media/" + id + "/thumbnail");
    assertThat(thumbnail.statusCode()).isEqualTo(200);
    assertThat(thumbnail.body()).isEqualTo(Images.pngDeclaring(65_535, 65_535));
  }

  @Test
  void oneRowOverThePixelLimitIsRefusedByAnalyze() throws Exception {
    // 8000 x 5001 = 40 008 000 pixels, just over 40 000 000.
    HttpResponse<String> analyze =
        world.attacker().post("/v1/analyze", Images.form(Images.pngDeclaring(8000, 5001)));
    assertThat(analyze.statusCode()).as(analyze.body()).isEqualTo(400);
    assertThat(analyze.body())
        .contains("40008000")
        .contains(Long.toString(Limits.IMAGE_MAX_PIXELS));
  }

  @Test
  void aPixelBombThroughGrpcCaptionIsInvalidArgument() {
    try (PublicGrpc grpc = PublicGrpc.open(world, HostileWorld.ATTACKER_KEY)) {
      CaptionRequest request =
          CaptionRequest.newBuilder()
              .addImages(
                  ImageSource.newBuilder()
                      .setData(ByteString.copyFrom(Images.pngDeclaring(100_000, 100_000))))
              .build();
      StatusRuntimeException refused =
          org.junit.jupiter.api.Assertions.assertThrows(
              StatusRuntimeException.class, () -> grpc.generator().caption(request));
      assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(refused.getStatus().getDescription()).contains("pixels");
    }
  }

  @Test
  void aTruncatedPngIsRefusedAtTheDoor() throws Exception {
    HttpResponse<String> upload = world.attacker().upload(Images.form(Images.truncatedPng()));
    assertThat(upload.statusCode()).as(upload.body()).isEqualTo(400);
    assertThat(upload.body()).contains("truncated");
  }

  @Test
  void aTruncatedJpegIsRefusedAtTheDoor() throws Exception {
    HttpResponse<String> upload =
        world
            .attacker()
            .upload(Images.form("cut.jpg", "image/jpeg", Images.truncatedJpeg(), Map.of()));
    assertThat(upload.statusCode()).as(upload.body()).isEqualTo(400);
    assertThat(upload.body()).contains("truncated");
  }

  @Test
  void aTruncatedJpegInlineOnKafkaIsDeadLettered() throws Exception {
    String id = "hostile-truncated-" + UUID.randomUUID();
    world.kafka().sendStructured(inline(id, Images.truncatedJpeg()));
    assertThat(world.kafka().awaitDeadLetter(Topics.MEDIA_INGEST_ENCODER_DLQ, id).reason())
        .contains("truncated");
  }

  @Test
  void aCorruptPngIsDeadLetteredAndNeverIndexed() throws Exception {
    HttpResponse<String> upload = world.attacker().upload(Images.form(Images.corruptPng()));
    assertThat(upload.statusCode()).as(upload.body()).isEqualTo(202);
    String id = Rest.json(upload).path("mediaId").asText();
    assertThat(world.kafka().awaitDeadLetter(Topics.MEDIA_INGEST_ENCODER_DLQ, id).reason())
        .isNotBlank();
    assertThat(world.attacker().embedded(id)).as("no embedding of noise").isFalse();
    assertThat(world.attacker().searchIds("a photo")).doesNotContain(id);
  }

  @Test
  void aBatchOfOneMoreThanTheLimitIsA400AndPublishesNothing() throws Exception {
    StringBuilder items = new StringBuilder();
    String marker = "batch-" + UUID.randomUUID();
    for (int i = 0; i <= 100; i++) {
      items
          .append(i == 0 ? "" : ",")
          .append("{\"uri\":\"https://example.com/")
          .append(marker)
          .append('/')
          .append(i)
          .append(".png\"}");
    }
    HttpResponse<String> batch =
        world.attacker().postJson("/v1/media/batch", "{\"items\":[" + items + "]}");
    assertThat(batch.statusCode()).as(batch.body()).isEqualTo(400);
    assertThat(batch.body()).contains("100");
  }

  @Test
  void aMultipartBatchOfOneMoreThanTheLimitIsA400() throws Exception {
    Form form = new Form();
    byte[] png = Images.distinctPng();
    for (int i = 0; i <= 100; i++) {
      form.file("file", i + ".png", "image/png", png);
    }
    HttpResponse<String> batch = world.attacker().post("/v1/media/batch", form);
    assertThat(batch.statusCode()).as(batch.body()).isEqualTo(400);
  }

  @Test
  void grpcIngestOneByteOverTheLimitIsInvalidArgument() throws Exception {
    byte[] over = Images.pngOfExactly(Limits.IMAGE_MAX_BYTES + 1);
    try (PublicGrpc grpc = PublicGrpc.open(world, HostileWorld.ATTACKER_KEY)) {
      IngestMediaRequest request =
          IngestMediaRequest.newBuilder()
              .setImage(ImageSource.newBuilder().setData(ByteString.copyFrom(over)))
              .build();
      Executable call = () -> grpc.media().ingestMedia(request);
      StatusRuntimeException refused =
          org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class, call);
      assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
      assertThat(refused.getStatus().getDescription())
          .contains(Long.toString(Limits.IMAGE_MAX_BYTES));
    }
  }

  @Test
  void aGrpcMessageOverTheServersLimitIsResourceExhausted() {
    try (PublicGrpc grpc = PublicGrpc.open(world, HostileWorld.ATTACKER_KEY)) {
      CaptionRequest request =
          CaptionRequest.newBuilder()
              .addImages(
                  ImageSource.newBuilder().setData(ByteString.copyFrom(new byte[33 * 1024 * 1024])))
              .build();
      StatusRuntimeException refused =
          org.junit.jupiter.api.Assertions.assertThrows(
              StatusRuntimeException.class, () -> grpc.generator().caption(request));
      assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    }
  }

  @Test
  void aMetadataFieldOverTheFormLimitIsRefused() throws Exception {
    String metadata = "{\"x\":\"" + "a".repeat(70 * 1024) + "\"}";
    HttpResponse<String> upload =
        world
            .attacker()
            .upload(
                Images.form(
                    "m.png", "image/png", Images.distinctPng(), Map.of("metadata", metadata)));
    assertThat(upload.statusCode()).as(upload.body()).isIn(400, 413);
  }

  @Test
  void classifyWithTheDefaultTemplatesStaysWithinTheEncodersPerRequestLimit() throws Exception {
    // Two labels x CLIP's 80 default templates = 160 prompts, over the encoder's 64 texts per
    // request:
    // retrieval must send them in batches the encoder accepts.
    HttpResponse<String> classify =
        world
            .victim()
            .postJson(
                "/v1/classify",
                "{\"mediaId\":\""
                    + world.victimItem().mediaId()
                    + "\",\"labels\":[\"red\",\"blue\"]}");
    assertThat(classify.statusCode()).as(classify.body()).isEqualTo(200);
    assertThat(Rest.json(classify).path("labels").get(0).path("label").asText()).isEqualTo("red");
  }

  @Test
  void webpWithExifOrientationIsReadTheSameWayByEveryWorker() throws Exception {
    // The gateway accepts WebP, so every worker must read it: embedded (encoder), captioned and
    // analysed (generator), and both apply the EXIF orientation (64x48 stored, shown 48x64).
    java.nio.file.Path images =
        multimodal.systemtest.RunningPlatform.ROOT.resolve("media/src/test/resources/images");
    Map<String, String> expected =
        Map.of("halves-lossless.webp", "64x48", "halves-lossless-exif6.webp", "48x64");
    for (Map.Entry<String, String> image : expected.entrySet()) {
      byte[] webp = java.nio.file.Files.readAllBytes(images.resolve(image.getKey()));
      HttpResponse<String> upload =
          world.attacker().upload(Images.form(image.getKey(), "image/webp", webp, Map.of()));
      assertThat(upload.statusCode()).as(upload.body()).isEqualTo(202);
      String id = Rest.json(upload).path("mediaId").asText();
      await(image.getKey() + " embedded, captioned and analysed")
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                var status = Rest.json(world.attacker().get("/v1/media/" + id));
                assertThat(status.path("embeddedBy").size()).isPositive();
                assertThat(status.path("caption").asText()).isNotBlank();
                assertThat(status.path("vision").asText()).isEqualTo("analysed");
                assertThat(
                        status.path("imageWidth").asInt()
                            + "x"
                            + status.path("imageHeight").asInt())
                    .isEqualTo(image.getValue());
              });
      assertThat(world.kafka().deadLettersOf(id)).isEmpty();
    }
  }
}
