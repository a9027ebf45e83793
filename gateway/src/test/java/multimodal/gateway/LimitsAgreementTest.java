package multimodal.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.WithDefault;
import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import multimodal.broker.BrokerSettings;
import multimodal.gateway.config.GatewayConfig;
import multimodal.media.config.ImageSettings;
import multimodal.media.config.VideoSettings;
import multimodal.media.video.VideoLimits;
import multimodal.v1.Limits;
import multimodal.v1.ingest.IngestEvent;
import multimodal.v1.ingest.IngestEventCodec;
import org.junit.jupiter.api.Test;

/**
 * Every byte and pixel limit of the platform agrees with {@link Limits}: the services'
 * configuration defaults and their application.properties (every profile, and the container
 * images'), the Kubernetes manifests' env vars, the Kafka broker, producers and consumers that
 * carry ingest records, the gRPC and HTTP body limits, and the JSON parser. An image the gateway
 * accepts must be one every consumer reads: a disagreement here is an item 202-accepted at the door
 * and dead-lettered behind it.
 */
class LimitsAgreementTest {
  private static final Path ROOT = Path.of("..");
  private static final List<String> SERVICES =
      List.of("gateway", "encoder-service", "generator-service", "retrieval-service");

  /**
   * Every {@code key=value} of a service's application.properties and of its container image's
   * (containers/<service>/application.properties, when there is one), profile prefixes stripped.
   */
  private static List<Map.Entry<String, String>> settings(String service) throws IOException {
    List<Map.Entry<String, String>> entries = new ArrayList<>();
    for (Path file :
        List.of(
            ROOT.resolve(service).resolve("src/main/resources/application.properties"),
            ROOT.resolve("containers").resolve(service).resolve("application.properties"))) {
      if (!Files.exists(file)) {
        continue;
      }
      Properties properties = new Properties();
      try (Reader in = Files.newBufferedReader(file)) {
        properties.load(in);
      }
      properties.forEach(
          (key, value) ->
              entries.add(
                  Map.entry(
                      key.toString().replaceFirst("^%[^.]+\\.", ""), value.toString().trim())));
    }
    return entries;
  }

  /** Quarkus' MemorySize notation (16M, 25165824) in bytes. */
  private static long bytes(String value) {
    Matcher m = Pattern.compile("(\\d+)([KkMmGg]?)").matcher(value);
    assertThat(m.matches()).as("a size: " + value).isTrue();
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2).toUpperCase(Locale.ROOT)) {
      case "K" -> n << 10;
      case "M" -> n << 20;
      case "G" -> n << 30;
      default -> n;
    };
  }

  private static String defaultOf(Class<?> group, String method) throws NoSuchMethodException {
    Method m = group.getMethod(method);
    return m.getAnnotation(WithDefault.class).value();
  }

  @Test
  void theGatewaysDefaultsAreThePlatformsLimits() throws NoSuchMethodException {
    assertThat(bytes(defaultOf(GatewayConfig.Upload.class, "maxBytes")))
        .isEqualTo(Limits.IMAGE_MAX_BYTES);
    assertThat(Long.parseLong(defaultOf(GatewayConfig.Upload.class, "maxPixels")))
        .isEqualTo(Limits.IMAGE_MAX_PIXELS);
    assertThat(bytes(defaultOf(GatewayConfig.Ingest.class, "inlineMaxBytes")))
        .isEqualTo(Limits.IMAGE_MAX_BYTES);
  }

  /**
   * The workers' image settings are media's {@link ImageSettings} (their config classes are not on
   * this module's class path: their source says they extend it and add nothing).
   */
  @Test
  void theWorkersDefaultsAreThePlatformsLimits() throws IOException, NoSuchMethodException {
    assertThat(Long.parseLong(defaultOf(ImageSettings.class, "maxBytes")))
        .isEqualTo(Limits.IMAGE_MAX_BYTES);
    assertThat(Long.parseLong(defaultOf(ImageSettings.class, "maxPixels")))
        .isEqualTo(Limits.IMAGE_MAX_PIXELS);
    assertThat(defaultOf(ImageSettings.class, "allowTruncated")).isEqualTo("false");
    for (String source :
        List.of(
            "encoder-service/src/main/java/multimodal/encoder/config/EncoderConfig.java",
            "generator-service/src/main/java/multimodal/generator/config/GeneratorConfig.java")) {
      // The speech group's byte limit is the audio and video limit, declared with its default.
      String text =
          Files.readString(ROOT.resolve(source))
              .replace("@WithDefault(Limits.AUDIO_VIDEO_MAX_BYTES_TEXT)\n    long maxBytes();", "");
      assertThat(text).as(source).contains("interface Images extends ImageSettings ");
      assertThat(text)
          .as(source + " declares no image limit of its own")
          .doesNotContain("maxBytes()")
          .doesNotContain("maxPixels()");
    }
  }

  /**
   * Audio and video: the gateway accepts what the workers fetch and decode (the video keyframes of
   * both workers, the generator's speech), and the largest upload body holds the largest file.
   */
  @Test
  void audioAndVideoLimitsAgreeEverywhere() throws IOException, NoSuchMethodException {
    assertThat(bytes(defaultOf(GatewayConfig.Upload.class, "audioVideoMaxBytes")))
        .isEqualTo(Limits.AUDIO_VIDEO_MAX_BYTES);
    assertThat(Long.parseLong(defaultOf(VideoSettings.class, "maxBytes")))
        .isEqualTo(Limits.AUDIO_VIDEO_MAX_BYTES);
    assertThat(VideoLimits.DEFAULTS.maxBytes()).isEqualTo(Limits.AUDIO_VIDEO_MAX_BYTES);
    assertThat(
            Files.readString(
                ROOT.resolve(
                    "generator-service/src/main/java/multimodal/generator/config/GeneratorConfig.java")))
        .as("generator.speech.max-bytes defaults to the platform's limit")
        .contains("@WithDefault(Limits.AUDIO_VIDEO_MAX_BYTES_TEXT)\n    long maxBytes();");
    assertThat(
            settings("gateway").stream()
                .filter(setting -> setting.getKey().equals("quarkus.http.limits.max-body-size"))
                .map(setting -> bytes(setting.getValue())))
        .singleElement()
        .satisfies(
            body -> assertThat(body).isGreaterThan(Limits.AUDIO_VIDEO_MAX_BYTES + 1024 * 1024));
    for (String service : SERVICES) {
      for (Map.Entry<String, String> setting : settings(service)) {
        String key = setting.getKey();
        if (key.endsWith("video.max-bytes")
            || key.endsWith("speech.max-bytes")
            || key.equals("gateway.upload.audio-video-max-bytes")) {
          assertThat(bytes(setting.getValue()))
              .as(service + ": " + key)
              .isEqualTo(Limits.AUDIO_VIDEO_MAX_BYTES);
        }
      }
    }
  }

  @Test
  void noPropertiesFileSetsAnImageLimitOtherThanThePlatforms() throws IOException {
    for (String service : SERVICES) {
      for (Map.Entry<String, String> setting : settings(service)) {
        String key = setting.getKey();
        if (key.endsWith("images.max-bytes")
            || key.equals("gateway.upload.max-bytes")
            || key.equals("gateway.ingest.inline-max-bytes")) {
          assertThat(bytes(setting.getValue()))
              .as(service + ": " + key)
              .isEqualTo(Limits.IMAGE_MAX_BYTES);
        }
        if (key.endsWith("images.max-pixels") || key.equals("gateway.upload.max-pixels")) {
          assertThat(Long.parseLong(setting.getValue()))
              .as(service + ": " + key)
              .isEqualTo(Limits.IMAGE_MAX_PIXELS);
        }
        if (key.endsWith("images.allow-truncated")
            || key.equals("gateway.upload.allow-truncated")) {
          assertThat(setting.getValue())
              .as(service + ": " + key + " (the default, false, everywhere)")
              .isEqualTo("false");
        }
      }
    }
  }

  /** An image fits in every request that may carry one inline: HTTP bodies and gRPC messages. */
  @Test
  void everyBodyAndMessageLimitHoldsTheLargestImage() throws IOException {
    int checked = 0;
    for (String service : SERVICES) {
      for (Map.Entry<String, String> setting : settings(service)) {
        String key = setting.getKey();
        if (key.endsWith("max-inbound-message-size")
            || key.equals("quarkus.http.limits.max-body-size")) {
          assertThat(bytes(setting.getValue()))
              .as(service + ": " + key)
              .isGreaterThan(Limits.IMAGE_MAX_BYTES + 64 * 1024);
          checked++;
        }
      }
    }
    assertThat(checked).as("limits found").isGreaterThanOrEqualTo(5);
  }

  /**
   * Producers and consumers of records that may hold an inline image, and the broker, share one
   * size.
   */
  @Test
  void kafkaCarriesTheLargestIngestRecordEverywhere() throws IOException {
    Map<String, String> broker = BrokerSettings.singleNode();
    assertThat(Long.parseLong(broker.get("message.max.bytes")))
        .isEqualTo(Limits.KAFKA_MAX_RECORD_BYTES);
    assertThat(Long.parseLong(broker.get("replica.fetch.max.bytes")))
        .isEqualTo(Limits.KAFKA_MAX_RECORD_BYTES);
    int checked = 0;
    for (String service : SERVICES) {
      List<Map.Entry<String, String>> settings = settings(service);
      for (Map.Entry<String, String> setting : settings) {
        String key = setting.getKey();
        if (!key.startsWith("mp.messaging.")
            || !(key.endsWith(".max.request.size") || key.endsWith(".max.partition.fetch.bytes"))) {
          continue;
        }
        if (carriesIngestRecords(settings, key)) {
          assertThat(Long.parseLong(setting.getValue()))
              .as(service + ": " + key)
              .isEqualTo(Limits.KAFKA_MAX_RECORD_BYTES);
          checked++;
        }
      }
    }
    assertThat(checked).as("Kafka settings found").isGreaterThanOrEqualTo(10);
  }

  /**
   * The channel reads or writes media.ingest.v1 or a dead-letter topic (which copies its records
   * whole).
   */
  private static boolean carriesIngestRecords(
      List<Map.Entry<String, String>> settings, String key) {
    if (key.contains(".dead-letter-queue.")) {
      return true;
    }
    String channel =
        key.replaceFirst("^(mp\\.messaging\\.(incoming|outgoing)\\.[^.]+)\\..*$", "$1");
    return settings.stream()
        .filter(s -> s.getKey().equals(channel + ".topic"))
        .anyMatch(s -> s.getValue().equals("media.ingest.v1") || s.getValue().endsWith(".dlq"));
  }

  /** The JSON parser reads the largest inline image, and its event fits in the largest record. */
  @Test
  void theLargestInlineEventIsParsedAndFitsInARecord() {
    assertThat(Limits.JSON_MAX_STRING_CHARS)
        .isGreaterThanOrEqualTo((int) Limits.INLINE_IMAGE_MAX_BASE64_CHARS);
    IngestEventCodec codec = new IngestEventCodec();
    byte[] image = new byte[(int) Limits.IMAGE_MAX_BYTES];
    IngestEvent event =
        new IngestEvent(
            "e",
            "/gateway",
            Instant.now(),
            "m",
            "default",
            "image/png",
            null,
            image,
            Map.of(),
            List.of());
    byte[] record = codec.encodeStructured(event);

    assertThat(record.length).isLessThan(Limits.KAFKA_MAX_RECORD_BYTES - 64 * 1024);
    assertThat(codec.decode("m", record, Map.of()).data()).hasSize(image.length);
  }

  /** Deployments set no limit of their own (env vars override the defaults). */
  @Test
  void theManifestsDoNotOverrideALimit() throws IOException {
    Pattern limitVar =
        Pattern.compile(
            "(MAX_BYTES|MAX_PIXELS|ALLOW_TRUNCATED|MAX_BODY_SIZE|MAX_INBOUND_MESSAGE_SIZE|MAX_REQUEST_SIZE)\\b");
    try (Stream<Path> manifests = Files.walk(ROOT.resolve("k8s"))) {
      for (Path manifest : manifests.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        assertThat(Files.readString(manifest))
            .as(manifest.toString())
            .doesNotContainPattern(limitVar);
      }
    }
  }
}
