package multimodal.generator.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.awt.Color;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import multimodal.devkit.kafka.KafkaBrokerTestResource;
import multimodal.generator.BlobServerResource;
import multimodal.generator.CaptionFixtureResource;
import multimodal.generator.TestImages;
import multimodal.v1.MediaCaptionEvent;
import multimodal.v1.Topics;
import multimodal.v1.ingest.IngestEvent;
import multimodal.v1.ingest.IngestEventCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = CaptionFixtureResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = BlobServerResource.class, restrictToAnnotatedClass = true)
class IngestConsumerKafkaTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final String DLQ = "media.ingest.v1.generator.dlq";
  private final IngestEventCodec codec = new IngestEventCodec();

  @Test
  void captionsAndOcrsABackfillBatchAndPublishesOneEventPerMedia() throws Exception {
    Map<String, byte[]> media = new HashMap<>();
    media.put("red-square", TestImages.png(TestImages.shape(Color.RED, "square", 224)));
    media.put("blue-circle", TestImages.png(TestImages.shape(Color.BLUE, "circle", 224)));
    media.put("yellow-square", TestImages.png(TestImages.shape(Color.YELLOW, "square", 300)));
    media.put("sign", TestImages.png(TestImages.text("EXIT 12", 600, 150)));
    List<IngestEvent> events = new ArrayList<>();
    for (Map.Entry<String, byte[]> entry : media.entrySet()) {
      events.add(TestKafka.inlineEvent(entry.getKey(), entry.getValue()));
    }
    for (IngestEvent event : events) {
      TestKafka.sendIngest(event.mediaId(), codec.encodeStructured(event));
    }

    Map<String, MediaCaptionEvent> out = awaitCaptions(media.keySet());

    assertThat(out.get("red-square").getCaption()).isEqualTo("a red square");
    assertThat(out.get("blue-circle").getCaption()).isEqualTo("a blue circle");
    assertThat(out.get("yellow-square").getCaption()).isEqualTo("a yellow square");
    assertThat(out.get("sign").getOcrText()).isEqualTo("EXIT 12");
    MediaCaptionEvent red = out.get("red-square");
    assertThat(red.getTenant()).isEqualTo("acme");
    assertThat(red.getSourceEventId())
        .isEqualTo(
            events.stream()
                .filter(e -> e.mediaId().equals("red-square"))
                .findFirst()
                .orElseThrow()
                .eventId());
    assertThat(red.getCaptionModelName()).isEqualTo("caption");
    assertThat(red.getCaptionModelVersion()).isEqualTo("fixture-caption-1");
    assertThat(red.getCaptionModelFixture()).isTrue();
    assertThat(red.getOcrEngine()).startsWith("tesseract");
    assertThat(red.getCaptionMicros()).isPositive();
    assertThat(red.getGeneratedAt().getSeconds()).isPositive();
  }

  @Test
  void captionsAClaimCheckEventByFetchingItsSignedBlobUrlAsGiven() throws Exception {
    String uri =
        BlobServerResource.put(
            "claim-red-circle", TestImages.png(TestImages.shape(Color.RED, "circle", 256)));
    IngestEvent event = TestKafka.uriEvent("claim-check-1", uri);
    TestKafka.sendIngest(event.mediaId(), codec.encodeStructured(event));

    MediaCaptionEvent out = awaitCaptions(List.of(event.mediaId())).get(event.mediaId());

    assertThat(out.getCaption()).isEqualTo("a red circle");
    assertThat(out.getTenant()).isEqualTo("acme");
    assertThat(out.getSourceEventId()).isEqualTo(event.eventId());
  }

  @Test
  void deadLettersPoisonRecordsWithTheirReasonAndKeepsGoing() throws Exception {
    IngestEvent poison =
        TestKafka.inlineEvent(
            "poison-1", "definitely not an image".getBytes(StandardCharsets.UTF_8));
    BlobServerResource.put(
        "poison-blob", TestImages.png(TestImages.shape(Color.BLUE, "square", 64)));
    // Same server, outside the internal prefix: a private address, refused by the SSRF guard.
    IngestEvent privateUri =
        TestKafka.uriEvent("poison-1", BlobServerResource.publicUri("poison-blob"));
    IngestEvent good =
        TestKafka.inlineEvent(
            "after-poison-1", TestImages.png(TestImages.shape(Color.GREEN, "circle", 128)));
    TestKafka.sendIngest("poison-1", codec.encodeStructured(poison));
    TestKafka.sendIngest("poison-1", "{not json".getBytes(StandardCharsets.UTF_8));
    TestKafka.sendIngest("poison-1", codec.encodeStructured(privateUri));
    TestKafka.sendIngest(good.mediaId(), codec.encodeStructured(good));

    List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = TestKafka.consumer(DLQ)) {
      await()
          .atMost(TIMEOUT)
          .untilAsserted(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(dead::add);
                assertThat(dead).hasSize(3);
              });
    }
    assertThat(reason(dead.get(0))).contains("data.bytes: not a decodable image");
    assertThat(reason(dead.get(1))).contains("not valid JSON");
    assertThat(reason(dead.get(2))).contains("data.uri").contains("non-public address");
    assertThat(awaitCaptions(List.of(good.mediaId())).get(good.mediaId()).getCaption())
        .isEqualTo("a green circle");
  }

  private static String reason(ConsumerRecord<String, byte[]> record) {
    return TestKafka.header(record, "dead-letter-reason");
  }

  private static Map<String, MediaCaptionEvent> awaitCaptions(java.util.Collection<String> ids) {
    Map<String, MediaCaptionEvent> found = new HashMap<>();
    try (KafkaConsumer<String, byte[]> consumer = TestKafka.consumer(Topics.MEDIA_CAPTION)) {
      await()
          .atMost(TIMEOUT)
          .untilAsserted(
              () -> {
                for (ConsumerRecord<String, byte[]> record :
                    consumer.poll(Duration.ofMillis(200))) {
                  if (ids.contains(record.key())) {
                    MediaCaptionEvent event = MediaCaptionEvent.parseFrom(record.value());
                    assertThat(event.getMediaId()).isEqualTo(record.key());
                    found.put(record.key(), event);
                  }
                }
                assertThat(found.keySet()).containsExactlyInAnyOrderElementsOf(ids);
              });
    }
    return found;
  }
}
