package multimodal.generator.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import multimodal.devkit.kafka.KafkaBrokerTestResource;
import multimodal.generator.CaptionFixtureResource;
import multimodal.generator.VisionModelsResource;
import multimodal.generator.inference.vision.VisionTestModels;
import multimodal.v1.DetectedObject;
import multimodal.v1.MediaVisionEvent;
import multimodal.v1.Topics;
import multimodal.v1.ingest.IngestEvent;
import multimodal.v1.ingest.IngestEventCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The generator-vision consumer against a real in-JVM broker, with the real imported models. */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = CaptionFixtureResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = VisionModelsResource.class, restrictToAnnotatedClass = true)
class VisionConsumerKafkaTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private final IngestEventCodec codec = new IngestEventCodec();

  @BeforeAll
  static void modelsPresent() {
    VisionTestModels.detectorDir();
    VisionTestModels.safetyDir();
  }

  @Test
  void anIngestedHorseYieldsAVisionEventTaggedHorse() throws Exception {
    IngestEvent horse = TestKafka.inlineEvent("vision-horse", Files.readAllBytes(VisionTestModels.IMAGES.resolve("horse.png")));
    TestKafka.sendIngest(horse.mediaId(), codec.encodeStructured(horse));

    MediaVisionEvent event = awaitVision(horse.mediaId());

    assertThat(event.getObjectsList()).extracting(DetectedObject::getLabel).containsExactly("horse");
    assertThat(event.getObjects(0).getScore()).isBetween(0.53f, 0.55f);
    assertThat(event.getObjects(0).getBox().getXMax()).isGreaterThan(event.getObjects(0).getBox().getXMin());
    assertThat(event.getDetector().getName()).isEqualTo("centernet-coco");
    assertThat(event.getDetector().getFixture()).isFalse();
    assertThat(event.getSafetyModel().getName()).isEqualTo("nsfw-mobilenet-v2-mid");
    assertThat(event.getSafetyList()).hasSize(5);
    assertThat(event.getSafety(2).getLabel()).isEqualTo("neutral");
    assertThat(event.getSafety(2).getScore()).isGreaterThan(0.8f);
    assertThat(event.getUnsafeScore()).isLessThan(0.05f);
    assertThat(event.getImageWidth()).isEqualTo(400);
    assertThat(event.getImageHeight()).isEqualTo(328);
    assertThat(event.getTenant()).isEqualTo("acme");
    assertThat(event.getSourceEventId()).isEqualTo(horse.eventId());
    assertThat(event.getDetectMicros()).isPositive();
    assertThat(event.getSafetyMicros()).isPositive();
    assertThat(event.getAnalysedAt().getSeconds()).isPositive();
  }

  @Test
  void aNonImageGoesToTheVisionDeadLetterTopicAndTheNextRecordIsStillAnalysed() throws Exception {
    IngestEvent poison = TestKafka.inlineEvent("vision-poison", "not an image at all".getBytes(StandardCharsets.UTF_8));
    IngestEvent next = TestKafka.inlineEvent("vision-after-poison",
        Files.readAllBytes(VisionTestModels.IMAGES.resolve("astronaut.png")));
    TestKafka.sendIngest(poison.mediaId(), codec.encodeStructured(poison));
    TestKafka.sendIngest(next.mediaId(), codec.encodeStructured(next));

    List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = TestKafka.consumer(Topics.MEDIA_INGEST_VISION_DLQ)) {
      await().atMost(TIMEOUT).untilAsserted(() -> {
        consumer.poll(Duration.ofMillis(200)).forEach(dead::add);
        assertThat(dead).extracting(ConsumerRecord::key).contains(poison.mediaId());
      });
    }
    ConsumerRecord<String, byte[]> letter =
        dead.stream().filter(r -> r.key().equals(poison.mediaId())).findFirst().orElseThrow();
    assertThat(TestKafka.header(letter, "dead-letter-reason")).contains("data.bytes: not a decodable image");
    assertThat(TestKafka.header(letter, "dead-letter-topic")).isEqualTo(Topics.MEDIA_INGEST);
    assertThat(TestKafka.header(letter, "dead-letter-offset")).isNotBlank();
    assertThat(awaitVision(next.mediaId()).getObjectsList()).extracting(DetectedObject::getLabel)
        .containsExactly("person");
  }

  private static MediaVisionEvent awaitVision(String mediaId) {
    List<MediaVisionEvent> found = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = TestKafka.consumer(Topics.MEDIA_VISION)) {
      await().atMost(TIMEOUT).untilAsserted(() -> {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.key().equals(mediaId)) {
            MediaVisionEvent event = MediaVisionEvent.parseFrom(record.value());
            assertThat(event.getMediaId()).isEqualTo(mediaId);
            found.add(event);
          }
        }
        assertThat(found).isNotEmpty();
      });
    }
    return found.get(0);
  }
}
