package multimodal.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.awt.Color;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import multimodal.v1.MediaCaptionEvent;
import multimodal.v1.Topics;
import multimodal.v1.ingest.IngestEvent;
import multimodal.v1.ingest.IngestEventCodec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The pipeline checks every way of running the platform must pass, driven from the outside: the
 * process-based {@link PlatformSystemIT} and the pod-based {@link ContainersSystemIT} both run
 * them.
 */
final class PipelineChecks {
  private PipelineChecks() {}

  /**
   * Uploads the ten photographs through REST and waits until search finds every one and each is
   * embedded. Returns media id → file name.
   */
  static Map<String, String> everyUploadedImageIsFoundBySearch(PlatformClient platform, Path images)
      throws Exception {
    List<Path> files;
    try (Stream<Path> list = Files.list(images)) {
      files = list.sorted().toList();
    }
    assertThat(files).hasSize(10);
    Map<String, String> uploaded = new LinkedHashMap<>();
    for (Path image : files) {
      HttpResponse<String> response = platform.upload(image);
      assertThat(response.statusCode())
          .as("upload of %s: %s", image, response.body())
          .isEqualTo(202);
      uploaded.put(
          PlatformClient.JSON.readTree(response.body()).get("mediaId").asText(),
          image.getFileName().toString());
    }
    assertThat(uploaded).hasSize(10);

    await("all ten images searchable")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> assertThat(platform.searchIds("a photo", 20)).containsAll(uploaded.keySet()));

    for (String mediaId : uploaded.keySet()) {
      HttpResponse<String> status = platform.get("/v1/media/" + mediaId);
      assertThat(status.statusCode())
          .as("status of %s: %s", uploaded.get(mediaId), status.body())
          .isEqualTo(200);
      assertThat(PlatformClient.JSON.readTree(status.body()).path("embeddedBy").size())
          .as(status.body())
          .isPositive();
    }
    assertThat(platform.anonymousStatus("/v1/search?q=red")).as("no API key").isEqualTo(401);
    return uploaded;
  }

  /**
   * Two poison records (not an image; not JSON) reach the encoder's dead-letter topic with their
   * reason, and a good record sent after them by a plain Kafka client is embedded, indexed and
   * captioned.
   */
  static void poisonRecordsGoToTheDeadLetterTopicWhileGoodOnesAreProcessed(PlatformClient platform)
      throws Exception {
    IngestEventCodec codec = new IngestEventCodec();
    String notAnImageId = "poison-not-an-image-" + UUID.randomUUID();
    IngestEvent notAnImage =
        new IngestEvent(
            UUID.randomUUID().toString(),
            "/system-test",
            Instant.now(),
            notAnImageId,
            IngestEvent.DEFAULT_TENANT,
            "image/png",
            null,
            "this is not an image".getBytes(StandardCharsets.UTF_8),
            Map.of(),
            List.of());
    String badJsonId = "poison-bad-json-" + UUID.randomUUID();

    // A good record written by an ordinary Kafka client in CloudEvents binary mode, after the
    // poison ones.
    String redId = "red-square-" + UUID.randomUUID();
    IngestEvent red =
        new IngestEvent(
            UUID.randomUUID().toString(),
            "/system-test",
            Instant.now(),
            redId,
            IngestEvent.DEFAULT_TENANT,
            "image/png",
            null,
            PlatformClient.solidPng(new Color(220, 20, 20)),
            Map.of("colour", "red"),
            List.of("generated"));

    try (KafkaProducer<String, byte[]> producer = platform.producer()) {
      producer
          .send(
              new ProducerRecord<>(
                  Topics.MEDIA_INGEST, notAnImageId, codec.encodeStructured(notAnImage)))
          .get();
      producer
          .send(
              new ProducerRecord<>(
                  Topics.MEDIA_INGEST,
                  badJsonId,
                  "{\"specversion\": ".getBytes(StandardCharsets.UTF_8)))
          .get();
      ProducerRecord<String, byte[]> binary =
          new ProducerRecord<>(Topics.MEDIA_INGEST, redId, codec.encodeBinaryData(red));
      codec
          .binaryHeaders(red)
          .forEach((k, v) -> binary.headers().add(k, v.getBytes(StandardCharsets.UTF_8)));
      producer.send(binary).get();
    }

    Map<String, String> reasons = platform.deadLetterReasons(Set.of(notAnImageId, badJsonId));
    assertThat(reasons.get(notAnImageId)).isNotBlank();
    assertThat(reasons.get(badJsonId)).containsIgnoringCase("JSON");

    await("the good record after the poison ones is indexed")
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(() -> assertThat(platform.searchIds("a photo", 50)).contains(redId));
    // The fixture CLIP's towers agree on colour: a red query ranks the red square first.
    assertThat(platform.searchIds("something red", 50).get(0)).isEqualTo(redId);
    assertThat(platform.searchIds("a photo", 50)).doesNotContain(notAnImageId, badJsonId);

    // generator-service captioned the same event (demo caption fixture: names colour and shape).
    MediaCaptionEvent caption =
        platform.topicEvent(Topics.MEDIA_CAPTION, redId, MediaCaptionEvent::parseFrom);
    assertThat(caption.getCaption()).contains("red");
    assertThat(caption.getCaptionModelName()).isNotBlank();
  }

  /** Waits until every uploaded item has its caption (the generator's part of the pipeline). */
  static void everyUploadIsCaptioned(PlatformClient platform, Set<String> mediaIds)
      throws IOException {
    await("every upload captioned")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              for (String id : mediaIds) {
                assertThat(platform.status(id).path("caption").asText()).as(id).isNotBlank();
              }
            });
  }
}
