package multimodal.encoder.messaging;

import static multimodal.encoder.Vectors.cosine;
import static multimodal.encoder.Vectors.toArray;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.awt.Color;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import multimodal.devkit.kafka.KafkaBrokerTestResource;
import multimodal.encoder.ClipFixtureResource;
import multimodal.encoder.ServedModels;
import multimodal.encoder.TestImages;
import multimodal.media.video.TestVideos;
import multimodal.v1.Limits;
import multimodal.v1.MediaEmbeddingEvent;
import multimodal.v1.Topics;
import multimodal.v1.ingest.IngestEvent;
import multimodal.v1.ingest.IngestEventCodec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = ClipFixtureResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = MediaRootResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = ProducerRuleResource.class, restrictToAnnotatedClass = true)
class IngestConsumerKafkaTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private final IngestEventCodec codec = new IngestEventCodec();

  @Inject ServedModels models;
  @Inject MeterRegistry meters;

  @Test
  void embedsAnInlineImageAndPublishesTheEmbeddingEvent() throws Exception {
    IngestEvent event = inlineEvent("red-square-1", TestImages.solidPng(200, 150, Color.RED));
    send(event.mediaId(), codec.encodeStructured(event));

    MediaEmbeddingEvent out = awaitEmbedding(event.mediaId());

    assertThat(out.getSourceEventId()).isEqualTo(event.eventId());
    assertThat(out.getTenant()).isEqualTo("acme");
    assertThat(out.getContentType()).isEqualTo("image/png");
    assertThat(out.getMetadataMap()).containsEntry("camera", "test");
    assertThat(out.getTagsList()).containsExactly("colour");
    assertThat(out.getIngestedAt().getSeconds()).isEqualTo(event.time().getEpochSecond());
    assertThat(out.getEmbedding().getModelName()).isEqualTo("clip");
    assertThat(out.getEmbedding().getModelVersion()).isEqualTo("fixture-colour-shape-1");
    assertThat(out.getModelFixture()).as("the generated CLIP says it is a fixture").isTrue();
    assertThat(out.getEmbedding().getDimension())
        .isEqualTo(512)
        .isEqualTo(out.getEmbedding().getValuesCount());
    // It is really the picture of a red square: "red" is its best colour word.
    float[][] texts =
        models.awaitRegistry().resolve("").embedTexts(List.of("a red square", "a blue square"));
    float[] image = toArray(out.getEmbedding().getValuesList());
    assertThat(cosine(texts[0], image)).isGreaterThan(cosine(texts[1], image));
  }

  /**
   * encoder.producers: a producer writes only its tenants; the rest is dead-lettered with the
   * reason.
   */
  @Test
  void deadLettersAnEventWhoseProducerMayNotWriteItsTenantAndKeepsGoing() throws Exception {
    byte[] png = TestImages.solidPng(32, 32, Color.GREEN);
    IngestEvent otherTenant =
        withSource(inlineEvent("crm-globex", png), ProducerRuleResource.CRM_SOURCE, "globex");
    IngestEvent unknown = withSource(inlineEvent("crm-unknown", png), "/intruder", "acme");
    IngestEvent allowed =
        withSource(inlineEvent("crm-acme", png), ProducerRuleResource.CRM_SOURCE, "acme");
    send(otherTenant.mediaId(), codec.encodeStructured(otherTenant));
    send(unknown.mediaId(), codec.encodeStructured(unknown));
    send(allowed.mediaId(), codec.encodeStructured(allowed));

    assertThat(reason(awaitDeadLetters("crm-globex", 1).get(0)))
        .isEqualTo("producer '/crm' is not allowed to write tenant 'globex' (allowed: acme)");
    assertThat(reason(awaitDeadLetters("crm-unknown", 1).get(0)))
        .isEqualTo("producer '/intruder' is not allowed to write any tenant");
    assertThat(awaitEmbedding("crm-acme").getTenant()).isEqualTo("acme");
  }

  private static IngestEvent withSource(IngestEvent e, String source, String tenant) {
    return new IngestEvent(
        e.eventId(),
        source,
        e.time(),
        e.mediaId(),
        tenant,
        e.contentType(),
        e.uri(),
        e.data(),
        e.metadata(),
        e.tags());
  }

  /**
   * The platform's limits at the boundary, through Kafka: an inline image of exactly 16 MiB (a PNG
   * padded after its IEND chunk) is embedded, one byte more is dead-lettered by its size, not as
   * "not valid JSON"; a truncated JPEG is dead-lettered with its reason
   * (encoder.images.allow-truncated is false by default).
   */
  @Test
  void inlineImagesAtTheLimitAndTruncatedImagesGetTheDocumentedAnswers() throws Exception {
    byte[] png = TestImages.solidPng(32, 32, Color.GREEN);
    byte[] atLimit = java.util.Arrays.copyOf(png, (int) Limits.IMAGE_MAX_BYTES);
    byte[] overLimit = java.util.Arrays.copyOf(png, (int) Limits.IMAGE_MAX_BYTES + 1);
    byte[] rocket = java.nio.file.Files.readAllBytes(Path.of("../testdata/images/rocket.jpg"));
    IngestEvent largest = inlineEvent("limit-at-1", atLimit);
    IngestEvent tooLarge = inlineEvent("limit-over-1", overLimit);
    IngestEvent truncated =
        inlineEvent("truncated-1", java.util.Arrays.copyOf(rocket, rocket.length / 2));

    sendAll(
        List.of(
            structured(largest.mediaId(), codec.encodeStructured(largest)),
            structured(tooLarge.mediaId(), codec.encodeStructured(tooLarge)),
            structured(truncated.mediaId(), codec.encodeStructured(truncated))));

    assertThat(awaitEmbedding(largest.mediaId()).getSourceEventId()).isEqualTo(largest.eventId());
    assertThat(reason(awaitDeadLetters(tooLarge.mediaId(), 1).get(0)))
        .isEqualTo(
            "data.bytes is 16777217 bytes, over the platform's image limit of 16777216 bytes;"
                + " larger images cannot be ingested");
    assertThat(reason(awaitDeadLetters(truncated.mediaId(), 1).get(0)))
        .isEqualTo(
            "data.bytes: image is truncated: the JPEG data ends before its end-of-image marker; the"
                + " missing part would be filled");
  }

  @Test
  void deadLettersAPoisonRecordWithItsReasonAndKeepsGoing() throws Exception {
    IngestEvent poison =
        inlineEvent("poison-1", "definitely not an image".getBytes(StandardCharsets.UTF_8));
    IngestEvent good = inlineEvent("after-poison-1", TestImages.solidPng(64, 64, Color.BLUE));
    // Same key, same partition: the good record is behind the poison one.
    send("poison-1", codec.encodeStructured(poison));
    send("poison-1", "{not json".getBytes(StandardCharsets.UTF_8));
    send(good.mediaId(), codec.encodeStructured(good));

    List<ConsumerRecord<String, byte[]>> dead = awaitDeadLetters("poison-1", 2);
    assertThat(reason(dead.get(0))).contains("data.bytes: not a decodable image");
    assertThat(header(dead.get(0), "dead-letter-topic")).isEqualTo(Topics.MEDIA_INGEST);
    assertThat(header(dead.get(0), "dead-letter-offset")).isNotBlank();
    assertThat(header(dead.get(0), "dead-letter-exception-class-name"))
        .endsWith("InvalidInputException");
    assertThat(header(dead.get(0), "content-type"))
        .isEqualTo(IngestEventCodec.STRUCTURED_CONTENT_TYPE);
    assertThat(dead.get(0).value()).isEqualTo(codec.encodeStructured(poison));
    assertThat(reason(dead.get(1))).contains("value is not valid JSON");
    assertThat(awaitEmbedding(good.mediaId()).getSourceEventId()).isEqualTo(good.eventId());
  }

  /**
   * A video's keyframes are embedded through the image path: one segment per scene with its time
   * range and its own vector, the item vector their normalised mean; a zip named .mp4, a truncated
   * MP4 and an unsupported video type are dead-lettered with the decoder's reason, and the consumer
   * goes on to the next record.
   */
  @Test
  void embedsAVideosKeyframesAsSegmentsAndDeadLettersBadVideos() throws Exception {
    Path dir = java.nio.file.Files.createTempDirectory("video-scenes-");
    Path red = dir.resolve("red.png");
    Path blue = dir.resolve("blue.png");
    java.nio.file.Files.write(red, TestImages.solidPng(320, 240, Color.RED));
    java.nio.file.Files.write(blue, TestImages.solidPng(320, 240, Color.BLUE));
    byte[] mp4 = TestVideos.mp4(2, red.toString(), blue.toString());
    IngestEvent video = withType(inlineEvent("video-red-blue", mp4), "video/mp4");
    IngestEvent zip = withType(inlineEvent("video-zip", TestVideos.zip()), "video/mp4");
    IngestEvent truncated =
        withType(
            inlineEvent("video-truncated", java.util.Arrays.copyOf(mp4, mp4.length / 2)),
            "video/mp4");
    IngestEvent quicktime = withType(inlineEvent("video-mov", mp4), "video/quicktime");
    IngestEvent after = inlineEvent("video-after", TestImages.solidPng(48, 48, Color.GREEN));
    sendAll(
        List.of(
            structured(zip.mediaId(), codec.encodeStructured(zip)),
            structured(video.mediaId(), codec.encodeStructured(video)),
            structured(truncated.mediaId(), codec.encodeStructured(truncated)),
            structured(quicktime.mediaId(), codec.encodeStructured(quicktime)),
            structured(after.mediaId(), codec.encodeStructured(after))));

    MediaEmbeddingEvent out = awaitEmbedding(video.mediaId());
    assertThat(out.getContentType()).isEqualTo("video/mp4");
    assertThat(out.getDurationMs()).isBetween(3900L, 4100L);
    assertThat(out.getSegmentsList())
        .extracting(
            segment -> List.of(segment.getTime().getStartMs(), segment.getTime().getEndMs()))
        .containsExactly(List.of(0L, 2000L), List.of(2000L, out.getDurationMs()));
    float[][] texts =
        models.awaitRegistry().resolve("").embedTexts(List.of("a red square", "a blue square"));
    float[] first = toArray(out.getSegments(0).getVectorList());
    float[] second = toArray(out.getSegments(1).getVectorList());
    assertThat(cosine(texts[0], first)).isGreaterThan(cosine(texts[1], first));
    assertThat(cosine(texts[1], second)).isGreaterThan(cosine(texts[0], second));
    float[] item = toArray(out.getEmbedding().getValuesList());
    assertThat(cosine(item, item)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    assertThat(cosine(item, first)).isLessThan(1.0);

    assertThat(reason(awaitDeadLetters("video-zip", 1).get(0)))
        .isEqualTo("data.bytes: not video/mp4: the bytes are a ZIP archive");
    assertThat(reason(awaitDeadLetters("video-truncated", 1).get(0)))
        .isEqualTo("data.bytes: video/mp4 does not decode: moov atom not found");
    assertThat(reason(awaitDeadLetters("video-mov", 1).get(0)))
        .isEqualTo(
            "data.contentType: video type video/quicktime is not supported; supported:"
                + " video/mp4, video/webm");
    assertThat(awaitEmbedding(after.mediaId()).getSegmentsCount()).isZero();
  }

  /**
   * A video over the image limit arrives by URI (a claim check): it is fetched to a scratch file
   * under encoder.video.max-bytes and its keyframes embedded; a file over that limit is
   * dead-lettered with the limit, before a byte of it is read.
   */
  @Test
  void fetchesAVideoOverTheImageLimitToAFileAndDeadLettersOneOverTheVideoLimit() throws Exception {
    Path dir = java.nio.file.Files.createTempDirectory("video-large-");
    Path red =
        java.nio.file.Files.write(dir.resolve("red.png"), TestImages.solidPng(320, 240, Color.RED));
    Path blue =
        java.nio.file.Files.write(
            dir.resolve("blue.png"), TestImages.solidPng(320, 240, Color.BLUE));
    String large = MediaRootResource.put("large.mp4", new byte[0]);
    Path largeFile = Path.of(java.net.URI.create(large));
    TestVideos.paddedMp4(
        TestVideos.mp4(2, red.toString(), blue.toString()),
        Limits.IMAGE_MAX_BYTES + 4 * 1024 * 1024,
        largeFile);
    String over = MediaRootResource.put("over.mp4", new byte[0]);
    Path overFile = Path.of(java.net.URI.create(over));
    try (java.io.RandomAccessFile sparse = new java.io.RandomAccessFile(overFile.toFile(), "rw")) {
      sparse.setLength(Limits.AUDIO_VIDEO_MAX_BYTES + 1); // sparse: no disk, no heap
    }
    try {
      IngestEvent video = withType(uriEvent("video-large", large), "video/mp4");
      IngestEvent tooLarge = withType(uriEvent("video-over", over), "video/mp4");
      sendAll(
          List.of(
              structured(tooLarge.mediaId(), codec.encodeStructured(tooLarge)),
              structured(video.mediaId(), codec.encodeStructured(video))));

      MediaEmbeddingEvent out = awaitEmbedding(video.mediaId());
      assertThat(out.getSegmentsList())
          .extracting(
              segment -> List.of(segment.getTime().getStartMs(), segment.getTime().getEndMs()))
          .containsExactly(List.of(0L, 2000L), List.of(2000L, out.getDurationMs()));
      assertThat(reason(awaitDeadLetters("video-over", 1).get(0)))
          .contains("data.uri", "over the limit of " + Limits.AUDIO_VIDEO_MAX_BYTES);
    } finally {
      java.nio.file.Files.deleteIfExists(largeFile);
      java.nio.file.Files.deleteIfExists(overFile);
    }
  }

  private static IngestEvent withType(IngestEvent e, String contentType) {
    return new IngestEvent(
        e.eventId(),
        e.source(),
        e.time(),
        e.mediaId(),
        e.tenant(),
        contentType,
        e.uri(),
        e.data(),
        e.metadata(),
        e.tags());
  }

  /**
   * Audio is the generator's to transcribe: the encoder skips it, with no embedding and no dead
   * letter. The poison record behind it on the same key is the only dead letter of that key, in
   * order behind where the audio's would have been.
   */
  @Test
  void skipsAudioItemsWithoutDeadLetteringThem() throws Exception {
    String key = "audio-then-image";
    IngestEvent audio =
        new IngestEvent(
            UUID.randomUUID().toString(),
            "/test",
            Instant.parse("2026-01-02T03:04:05Z"),
            key,
            "acme",
            "audio/wav",
            null,
            "RIFF\0\0\0\0WAVEfmt not an image".getBytes(StandardCharsets.UTF_8),
            Map.of(),
            List.of());
    IngestEvent image = inlineEvent(key, TestImages.solidPng(48, 48, Color.GREEN));
    IngestEvent poison = inlineEvent(key, "no image here".getBytes(StandardCharsets.UTF_8));
    sendAll(
        List.of(
            structured(key, codec.encodeStructured(audio)),
            structured(key, codec.encodeStructured(image)),
            structured(key, codec.encodeStructured(poison))));

    assertThat(awaitEmbedding(key).getSourceEventId()).isEqualTo(image.eventId());
    List<ConsumerRecord<String, byte[]>> dead = awaitDeadLetters(key, 1);
    assertThat(dead.get(0).value()).isEqualTo(codec.encodeStructured(poison));
    assertThat(reason(dead.get(0))).contains("data.bytes: not a decodable image");
  }

  @Test
  void embedsRecordsPublishedTogetherInOneBatchKeepingKeyOrderAndDeadLetteringThePoisonOne()
      throws Exception {
    DistributionSummary before = imageBatches();
    long batchesBefore = before == null ? 0 : before.count();
    double imagesBefore = before == null ? 0 : before.totalAmount();
    Color[] colours = {Color.RED, Color.GREEN, Color.BLUE};
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    List<String> goodIds = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String mediaId = "batch-" + i;
      if (i == 10) {
        IngestEvent poison =
            inlineEvent("batch-poison", "no image here".getBytes(StandardCharsets.UTF_8));
        records.add(structured(poison.mediaId(), codec.encodeStructured(poison)));
        continue;
      }
      IngestEvent event = inlineEvent(mediaId, TestImages.solidPng(32 + i, 24, colours[i % 3]));
      records.add(structured(mediaId, codec.encodeStructured(event)));
      goodIds.add(mediaId);
    }
    // Two events of one media id, far apart in the batch: their outputs keep their order.
    IngestEvent first = inlineEvent("batch-same-key", TestImages.solidPng(40, 40, Color.RED));
    IngestEvent second = inlineEvent("batch-same-key", TestImages.solidPng(40, 40, Color.BLUE));
    records.add(2, structured(first.mediaId(), codec.encodeStructured(first)));
    records.add(structured(second.mediaId(), codec.encodeStructured(second)));

    // Held back by linger.ms and flushed in one produce request: the consumer polls them together.
    sendAll(records);

    Map<String, List<MediaEmbeddingEvent>> out = awaitEmbeddings(goodIds.size() + 2, "batch-");
    assertThat(out.keySet())
        .containsAll(goodIds)
        .contains("batch-same-key")
        .doesNotContain("batch-poison");
    assertThat(out.get("batch-same-key"))
        .extracting(MediaEmbeddingEvent::getSourceEventId)
        .containsExactly(first.eventId(), second.eventId());
    List<ConsumerRecord<String, byte[]>> dead = awaitDeadLetters("batch-poison", 1);
    assertThat(reason(dead.get(0))).contains("data.bytes: not a decodable image");

    DistributionSummary after = imageBatches();
    long batches = after.count() - batchesBefore;
    double images = after.totalAmount() - imagesBefore;
    assertThat(images).isEqualTo(goodIds.size() + 2);
    // 21 images in far fewer session runs than images: batches of more than one ran.
    assertThat(batches).isLessThan(goodIds.size() / 2);
  }

  @Test
  void fetchesUriRecordsInABatchAndDeadLettersTheRefusedOnesWithTheirReason() throws Exception {
    String allowed = MediaRootResource.put("uri-red.png", TestImages.solidPng(80, 60, Color.RED));
    IngestEvent fromFile = uriEvent("uri-file", allowed);
    IngestEvent outsideRoot =
        uriEvent("uri-outside", Path.of("pom.xml").toAbsolutePath().toUri().toString());
    IngestEvent missing = uriEvent("uri-missing", allowed.replace("uri-red.png", "no-such.png"));
    // SSRF guard: loopback is refused by default, before any connection is tried.
    IngestEvent loopback = uriEvent("uri-loopback", "http://127.0.0.1:9/cat.png");
    IngestEvent inline = inlineEvent("uri-inline", TestImages.solidPng(30, 30, Color.BLUE));
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    for (IngestEvent event : List.of(fromFile, outsideRoot, missing, loopback, inline)) {
      records.add(structured(event.mediaId(), codec.encodeStructured(event)));
    }

    sendAll(records);

    Map<String, List<MediaEmbeddingEvent>> out = awaitEmbeddings(2, "uri-");
    assertThat(out.keySet()).containsExactlyInAnyOrder("uri-file", "uri-inline");
    float[] image = toArray(out.get("uri-file").get(0).getEmbedding().getValuesList());
    float[][] texts =
        models.awaitRegistry().resolve("").embedTexts(List.of("a red square", "a blue square"));
    assertThat(cosine(texts[0], image)).isGreaterThan(cosine(texts[1], image));
    assertThat(reason(awaitDeadLetters("uri-outside", 1).get(0)))
        .contains("data.uri", "outside the allowed root");
    assertThat(reason(awaitDeadLetters("uri-missing", 1).get(0)))
        .contains("data.uri", "no such file");
    assertThat(reason(awaitDeadLetters("uri-loopback", 1).get(0)))
        .contains("data.uri", "non-public address 127.0.0.1", "allow-private-addresses");
  }

  private static IngestEvent uriEvent(String mediaId, String uri) {
    return new IngestEvent(
        UUID.randomUUID().toString(),
        "/test",
        Instant.parse("2026-01-02T03:04:05Z"),
        mediaId,
        "acme",
        "image/png",
        uri,
        null,
        Map.of(),
        List.of());
  }

  private DistributionSummary imageBatches() {
    return meters
        .find("encoder.batch.size")
        .tag("model", "clip")
        .tag("modality", "image")
        .summary();
  }

  /** Waits for {@code count} embedding events whose keys start with {@code prefix}, by key. */
  private static Map<String, List<MediaEmbeddingEvent>> awaitEmbeddings(int count, String prefix)
      throws Exception {
    Map<String, List<MediaEmbeddingEvent>> found = new HashMap<>();
    for (ConsumerRecord<String, byte[]> record :
        awaitRecords(Topics.MEDIA_EMBEDDING, k -> k.startsWith(prefix), count)) {
      found
          .computeIfAbsent(record.key(), k -> new ArrayList<>())
          .add(MediaEmbeddingEvent.parseFrom(record.value()));
    }
    return found;
  }

  private static List<ConsumerRecord<String, byte[]>> awaitDeadLetters(String key, int count) {
    return awaitRecords(Topics.MEDIA_INGEST_ENCODER_DLQ, key::equals, count);
  }

  /** Reads {@code topic} from the start until {@code count} records have a matching key. */
  private static List<ConsumerRecord<String, byte[]>> awaitRecords(
      String topic, Predicate<String> key, int count) {
    List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = consumer(topic)) {
      await()
          .atMost(TIMEOUT)
          .untilAsserted(
              () -> {
                for (ConsumerRecord<String, byte[]> record :
                    consumer.poll(Duration.ofMillis(200))) {
                  if (record.key() != null && key.test(record.key())) {
                    found.add(record);
                  }
                }
                assertThat(found).hasSize(count);
              });
    }
    return found;
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    assertThat(header).as(name + " header").isNotNull();
    return new String(header.value(), StandardCharsets.UTF_8);
  }

  private static String reason(ConsumerRecord<String, byte[]> record) {
    return header(record, "dead-letter-reason");
  }

  private static IngestEvent inlineEvent(String mediaId, byte[] bytes) {
    return new IngestEvent(
        UUID.randomUUID().toString(),
        "/test",
        Instant.parse("2026-01-02T03:04:05Z"),
        mediaId,
        "acme",
        "image/png",
        null,
        bytes,
        Map.of("camera", "test"),
        List.of("colour"));
  }

  private static MediaEmbeddingEvent awaitEmbedding(String mediaId) throws Exception {
    MediaEmbeddingEvent event =
        MediaEmbeddingEvent.parseFrom(
            awaitRecords(Topics.MEDIA_EMBEDDING, mediaId::equals, 1).get(0).value());
    assertThat(event.getMediaId()).isEqualTo(mediaId);
    return event;
  }

  private static void send(String key, byte[] value) throws Exception {
    sendAll(List.of(structured(key, value)));
  }

  /** Sends all records in one go (linger.ms holds them until the flush), waiting for the acks. */
  private static void sendAll(List<ProducerRecord<String, byte[]>> records) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    props.put(ProducerConfig.LINGER_MS_CONFIG, "10000");
    props.put(
        ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(Limits.KAFKA_MAX_RECORD_BYTES));
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      List<Future<RecordMetadata>> acks = new ArrayList<>();
      for (ProducerRecord<String, byte[]> record : records) {
        acks.add(producer.send(record));
      }
      producer.flush();
      for (Future<RecordMetadata> ack : acks) {
        ack.get();
      }
    }
  }

  private static ProducerRecord<String, byte[]> structured(String key, byte[] value) {
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.MEDIA_INGEST, key, value);
    // Structured mode as the gateway and CloudEvents SDKs write it: the content type names the
    // envelope.
    record
        .headers()
        .add(
            "content-type",
            IngestEventCodec.STRUCTURED_CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
    return record;
  }

  private static KafkaConsumer<String, byte[]> consumer(String topic) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(topic));
    return consumer;
  }

  private static String bootstrap() {
    return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
  }
}
