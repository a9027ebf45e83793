package multimodal.generator.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.awt.Color;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import multimodal.devkit.kafka.KafkaBrokerTestResource;
import multimodal.generator.BlobServerResource;
import multimodal.generator.CaptionFixtureResource;
import multimodal.generator.TestImages;
import multimodal.media.video.TestVideos;
import multimodal.v1.CaptionSegment;
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

    List<ConsumerRecord<String, byte[]>> dead =
        TestKafka.awaitRecords(DLQ, "poison-1"::equals, 3, TIMEOUT);
    assertThat(reason(dead.get(0))).contains("data.bytes: not a decodable image");
    assertThat(reason(dead.get(1))).contains("not valid JSON");
    assertThat(reason(dead.get(2))).contains("data.uri").contains("non-public address");
    assertThat(awaitCaptions(List.of(good.mediaId())).get(good.mediaId()).getCaption())
        .isEqualTo("a green circle");
  }

  /**
   * Every keyframe of a video is captioned and OCR'd through the image path: a red square, a
   * rendered word and a blue circle, two seconds each, give three segments at the scene changes,
   * the word read in the middle one only, and a summary for readers of the item-level fields. A ZIP
   * named .mp4, a truncated MP4 and an unsupported video type are dead-lettered with the keyframe
   * decoder's reason, and the consumer goes on.
   */
  @Test
  void captionsAndOcrsEveryKeyframeOfAVideoAndDeadLettersBadVideos() throws Exception {
    Path dir = Files.createTempDirectory("video-scenes-");
    Path red = dir.resolve("red.png");
    Path sign = dir.resolve("sign.png");
    Path blue = dir.resolve("blue.png");
    Files.write(red, TestImages.png(TestImages.shape(Color.RED, "square", 224)));
    Files.write(sign, TestImages.png(TestImages.text("OPEN", 320, 240)));
    Files.write(blue, TestImages.png(TestImages.shape(Color.BLUE, "circle", 224)));
    byte[] mp4 = TestVideos.mp4(2, red.toString(), sign.toString(), blue.toString());
    IngestEvent video = TestKafka.inlineEvent("video-scenes", "video/mp4", mp4);
    IngestEvent zip = TestKafka.inlineEvent("video-zip", "video/mp4", TestVideos.zip());
    IngestEvent truncated =
        TestKafka.inlineEvent(
            "video-truncated", "video/mp4", java.util.Arrays.copyOf(mp4, mp4.length / 2));
    IngestEvent quicktime = TestKafka.inlineEvent("video-mov", "video/quicktime", mp4);
    IngestEvent after =
        TestKafka.inlineEvent(
            "video-after", TestImages.png(TestImages.shape(Color.GREEN, "square", 128)));
    for (IngestEvent event : List.of(zip, video, truncated, quicktime, after)) {
      TestKafka.sendIngest(event.mediaId(), codec.encodeStructured(event));
    }

    MediaCaptionEvent out = awaitCaptions(List.of(video.mediaId())).get(video.mediaId());
    assertThat(out.getSourceEventId()).isEqualTo(video.eventId());
    assertThat(out.getDurationMs()).isBetween(5900L, 6100L);
    assertThat(out.getSegmentsList())
        .extracting(s -> List.of(s.getTime().getStartMs(), s.getTime().getEndMs()))
        .containsExactly(
            List.of(0L, 2000L), List.of(2000L, 4000L), List.of(4000L, out.getDurationMs()));
    CaptionSegment first = out.getSegments(0);
    CaptionSegment middle = out.getSegments(1);
    CaptionSegment last = out.getSegments(2);
    assertThat(first.getCaption()).isEqualTo("a red square");
    assertThat(last.getCaption()).isEqualTo("a blue circle");
    assertThat(middle.getOcrText()).isEqualTo("OPEN");
    assertThat(first.getOcrText()).isEmpty();
    assertThat(last.getOcrText()).isEmpty();
    assertThat(out.getCaption().lines().toList())
        .containsSubsequence("a red square", "a blue circle")
        .doesNotHaveDuplicates();
    assertThat(out.getOcrText()).isEqualTo("OPEN");
    assertThat(out.getOcrEngine()).startsWith("tesseract");
    assertThat(out.getCaptionModelVersion()).isEqualTo("fixture-caption-1");
    assertThat(out.getCaptionMicros()).isPositive();

    assertThat(reason(awaitDeadLetter("video-zip")))
        .isEqualTo("data.bytes: not video/mp4: the bytes are a ZIP archive");
    assertThat(reason(awaitDeadLetter("video-truncated")))
        .isEqualTo("data.bytes: video/mp4 does not decode: moov atom not found");
    assertThat(reason(awaitDeadLetter("video-mov")))
        .isEqualTo(
            "data.contentType: video type video/quicktime is not supported; supported:"
                + " video/mp4, video/webm");
    MediaCaptionEvent image = awaitCaptions(List.of(after.mediaId())).get(after.mediaId());
    assertThat(image.getCaption()).isEqualTo("a green square");
    assertThat(image.getSegmentsList()).isEmpty();
    assertThat(image.getDurationMs()).isZero();
  }

  private static ConsumerRecord<String, byte[]> awaitDeadLetter(String key) {
    return TestKafka.awaitRecords(DLQ, key::equals, 1, TIMEOUT).get(0);
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
