package multimodal.generator.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import multimodal.devkit.kafka.KafkaBrokerTestResource;
import multimodal.generator.BlobServerResource;
import multimodal.generator.CaptionFixtureResource;
import multimodal.generator.VisionModelsResource;
import multimodal.generator.inference.vision.VisionTestModels;
import multimodal.media.video.TestVideos;
import multimodal.v1.DetectedObject;
import multimodal.v1.Limits;
import multimodal.v1.MediaVisionEvent;
import multimodal.v1.Topics;
import multimodal.v1.ingest.IngestEvent;
import multimodal.v1.ingest.IngestEventCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generator-vision consumer against a real in-JVM broker, with the real imported models. */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = CaptionFixtureResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = VisionModelsResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = ProducerRuleResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = BlobServerResource.class, restrictToAnnotatedClass = true)
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
    IngestEvent horse =
        TestKafka.inlineEvent(
            "vision-horse", Files.readAllBytes(VisionTestModels.IMAGES.resolve("horse.png")));
    TestKafka.sendIngest(horse.mediaId(), codec.encodeStructured(horse));

    MediaVisionEvent event = awaitVision(horse.mediaId());

    assertThat(event.getObjectsList())
        .extracting(DetectedObject::getLabel)
        .containsExactly("horse");
    assertThat(event.getObjects(0).getScore()).isBetween(0.53f, 0.55f);
    assertThat(event.getObjects(0).getBox().getXMax())
        .isGreaterThan(event.getObjects(0).getBox().getXMin());
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
    IngestEvent poison =
        TestKafka.inlineEvent(
            "vision-poison", "not an image at all".getBytes(StandardCharsets.UTF_8));
    IngestEvent next =
        TestKafka.inlineEvent(
            "vision-after-poison",
            Files.readAllBytes(VisionTestModels.IMAGES.resolve("astronaut.png")));
    TestKafka.sendIngest(poison.mediaId(), codec.encodeStructured(poison));
    TestKafka.sendIngest(next.mediaId(), codec.encodeStructured(next));

    ConsumerRecord<String, byte[]> letter =
        awaitDeadLetter(Topics.MEDIA_INGEST_VISION_DLQ, poison.mediaId());
    assertThat(TestKafka.header(letter, "dead-letter-reason"))
        .contains("data.bytes: not a decodable image");
    assertThat(TestKafka.header(letter, "dead-letter-topic")).isEqualTo(Topics.MEDIA_INGEST);
    assertThat(TestKafka.header(letter, "dead-letter-offset")).isNotBlank();
    assertThat(awaitVision(next.mediaId()).getObjectsList())
        .extracting(DetectedObject::getLabel)
        .containsExactly("person");
  }

  /**
   * A video is cut into keyframes as the caption group cuts it and gets one vision event: coins, a
   * horse and an astronaut, two seconds each, give the horse in the middle keyframe and the person
   * in the last, and the item-level tags a reader of images sees. A ZIP named .mp4 and a truncated
   * MP4 are dead-lettered with the keyframe extractor's reason, and the consumer goes on.
   */
  @Test
  void tagsEveryKeyframeOfAVideoInOneEventAndDeadLettersBadVideos() throws Exception {
    byte[] mp4 = TestVideos.mp4(2, "coins.png", "horse.png", "astronaut.png");
    IngestEvent video = TestKafka.inlineEvent("vision-video", "video/mp4", mp4);
    IngestEvent zip = TestKafka.inlineEvent("vision-video-zip", "video/mp4", TestVideos.zip());
    IngestEvent truncated =
        TestKafka.inlineEvent(
            "vision-video-truncated", "video/mp4", Arrays.copyOf(mp4, mp4.length / 2));
    IngestEvent after =
        TestKafka.inlineEvent(
            "vision-after-video", Files.readAllBytes(VisionTestModels.IMAGES.resolve("horse.png")));
    for (IngestEvent event : List.of(zip, video, truncated, after)) {
      TestKafka.sendIngest(event.mediaId(), codec.encodeStructured(event));
    }

    MediaVisionEvent event = awaitVision(video.mediaId());
    assertThat(event.getSourceEventId()).isEqualTo(video.eventId());
    assertThat(event.getDurationMs()).isBetween(5900L, 6100L);
    assertThat(event.getSegmentsList())
        .extracting(s -> List.of(s.getTime().getStartMs(), s.getTime().getEndMs()))
        .containsExactly(
            List.of(0L, 2000L), List.of(2000L, 4000L), List.of(4000L, event.getDurationMs()));
    assertThat(event.getSegments(1).getObjectsList())
        .extracting(DetectedObject::getLabel)
        .contains("horse");
    assertThat(event.getSegments(2).getObjectsList())
        .extracting(DetectedObject::getLabel)
        .contains("person");
    assertThat(event.getObjectsList())
        .extracting(DetectedObject::getLabel)
        .contains("horse", "person")
        .doesNotHaveDuplicates();
    assertThat(event.getSafetyList()).hasSize(5);
    assertThat(event.getUnsafeScore()).isLessThan(0.2f);
    assertThat(event.hasUnsafeTime()).isTrue();
    assertThat(event.getDecodeMicros()).isPositive();

    assertThat(
            TestKafka.header(
                awaitDeadLetter(Topics.MEDIA_INGEST_VISION_DLQ, zip.mediaId()),
                "dead-letter-reason"))
        .isEqualTo("data.bytes: not video/mp4: the bytes are a ZIP archive");
    assertThat(
            TestKafka.header(
                awaitDeadLetter(Topics.MEDIA_INGEST_VISION_DLQ, truncated.mediaId()),
                "dead-letter-reason"))
        .isEqualTo("data.bytes: video/mp4 does not decode: moov atom not found");
    MediaVisionEvent image = awaitVision(after.mediaId());
    assertThat(image.getObjectsList())
        .extracting(DetectedObject::getLabel)
        .containsExactly("horse");
    assertThat(image.getSegmentsList()).isEmpty();
    assertThat(image.getDurationMs()).isZero();
  }

  /**
   * A video over the 16 MiB image limit, by claim check: fetched to a scratch file under
   * generator.video.max-bytes and cut where it lies; one over that limit is dead-lettered with it.
   */
  @Test
  void tagsAVideoOverTheImageLimitFetchedToAFileAndRefusesOneOverTheVideoLimit(@TempDir Path dir)
      throws Exception {
    Path large =
        TestVideos.paddedMp4(
            TestVideos.mp4(2, "coins.png", "horse.png"),
            Limits.IMAGE_MAX_BYTES + 2 * 1024 * 1024,
            dir.resolve("large.mp4"));
    IngestEvent film =
        TestKafka.uriEvent(
            "vision-large", "video/mp4", BlobServerResource.putFile("vision-large", large));
    IngestEvent over =
        TestKafka.uriEvent(
            "vision-over",
            "video/mp4",
            BlobServerResource.putDeclaring("vision-over", Limits.AUDIO_VIDEO_MAX_BYTES + 1));
    TestKafka.sendIngest(film.mediaId(), codec.encodeStructured(film));
    TestKafka.sendIngest(over.mediaId(), codec.encodeStructured(over));

    MediaVisionEvent event = awaitVision(film.mediaId());
    assertThat(event.getSegmentsList()).hasSize(2);
    assertThat(event.getSegments(1).getObjectsList())
        .extracting(DetectedObject::getLabel)
        .contains("horse");
    assertThat(
            TestKafka.header(
                awaitDeadLetter(Topics.MEDIA_INGEST_VISION_DLQ, over.mediaId()),
                "dead-letter-reason"))
        .isEqualTo(
            "data.uri: media is "
                + (Limits.AUDIO_VIDEO_MAX_BYTES + 1)
                + " bytes or more, over the limit of "
                + Limits.AUDIO_VIDEO_MAX_BYTES);
  }

  /**
   * generator.producers: both consumer groups dead-letter an event whose producer may not write its
   * tenant.
   */
  @Test
  void bothConsumersDeadLetterAnEventWhoseProducerMayNotWriteItsTenant() throws Exception {
    byte[] astronaut = Files.readAllBytes(VisionTestModels.IMAGES.resolve("astronaut.png"));
    IngestEvent refused = fromCrm(TestKafka.inlineEvent("crm-globex", astronaut), "globex");
    IngestEvent allowed = fromCrm(TestKafka.inlineEvent("crm-acme", astronaut), "acme");
    TestKafka.sendIngest(refused.mediaId(), codec.encodeStructured(refused));
    TestKafka.sendIngest(allowed.mediaId(), codec.encodeStructured(allowed));

    String reason = "producer '/crm' is not allowed to write tenant 'globex' (allowed: acme)";
    assertThat(
            TestKafka.header(
                awaitDeadLetter(Topics.MEDIA_INGEST_VISION_DLQ, refused.mediaId()),
                "dead-letter-reason"))
        .isEqualTo(reason);
    assertThat(
            TestKafka.header(
                awaitDeadLetter(Topics.MEDIA_INGEST_GENERATOR_DLQ, refused.mediaId()),
                "dead-letter-reason"))
        .isEqualTo(reason);
    assertThat(awaitVision(allowed.mediaId()).getTenant()).isEqualTo("acme");
  }

  private static IngestEvent fromCrm(IngestEvent e, String tenant) {
    return new IngestEvent(
        e.eventId(),
        ProducerRuleResource.CRM_SOURCE,
        e.time(),
        e.mediaId(),
        tenant,
        e.contentType(),
        e.uri(),
        e.data(),
        e.metadata(),
        e.tags());
  }

  private static ConsumerRecord<String, byte[]> awaitDeadLetter(String topic, String mediaId) {
    List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = TestKafka.consumer(topic)) {
      await()
          .atMost(TIMEOUT)
          .untilAsserted(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(dead::add);
                assertThat(dead).extracting(ConsumerRecord::key).contains(mediaId);
              });
    }
    return dead.stream().filter(r -> r.key().equals(mediaId)).findFirst().orElseThrow();
  }

  private static MediaVisionEvent awaitVision(String mediaId) {
    List<MediaVisionEvent> found = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = TestKafka.consumer(Topics.MEDIA_VISION)) {
      await()
          .atMost(TIMEOUT)
          .untilAsserted(
              () -> {
                for (ConsumerRecord<String, byte[]> record :
                    consumer.poll(Duration.ofMillis(200))) {
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
