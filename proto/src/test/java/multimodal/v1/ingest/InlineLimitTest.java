package multimodal.v1.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import multimodal.v1.Limits;
import org.junit.jupiter.api.Test;

/**
 * Inline images at the platform's limit: the largest one travels (Jackson's default string cap of
 * 20 M characters used to refuse it as "not valid JSON"), one byte more is refused by its size.
 */
class InlineLimitTest {
  private final IngestEventCodec codec = new IngestEventCodec();

  @Test
  void anInlineImageOfExactlyTheLimitIsRead() {
    byte[] image = new byte[(int) Limits.IMAGE_MAX_BYTES];
    image[image.length - 1] = 7;

    IngestEvent decoded = codec.decode("m-1", codec.encodeStructured(inline(image)), Map.of());

    assertThat(decoded.data()).hasSize(image.length);
    assertThat(decoded.data()[image.length - 1]).isEqualTo((byte) 7);
  }

  @Test
  void oneByteOverTheLimitIsRefusedByItsSize() {
    byte[] image = new byte[(int) Limits.IMAGE_MAX_BYTES + 1];

    assertThatThrownBy(() -> codec.decode("m-1", codec.encodeStructured(inline(image)), Map.of()))
        .isInstanceOf(InvalidIngestEventException.class)
        .hasMessage(
            "data.bytes is 16777217 bytes, over the platform's image limit of 16777216 bytes;"
                + " larger images cannot be ingested");
  }

  @Test
  void aFarLargerImageIsRefusedBeforeItsBase64IsDecoded() {
    byte[] image = new byte[(int) Limits.IMAGE_MAX_BYTES + 3 * 1024];

    assertThatThrownBy(() -> codec.decode("m-1", codec.encodeStructured(inline(image)), Map.of()))
        .hasMessageStartingWith(
            "data.bytes is about 16780290 bytes, over the platform's image limit of 16777216"
                + " bytes");
  }

  @Test
  void aStringLongerThanAnyRecordCanHoldGetsAClearReasonNotNotValidJson() {
    String huge = "a".repeat(Limits.JSON_MAX_STRING_CHARS + 1);
    String record =
        """
        {"specversion":"1.0","id":"e","source":"s","type":"dev.multimodal.media.ingest.v1",
         "data":{"mediaId":"m","uri":"https://example.org/a.jpg","metadata":{"note":"%s"}}}\
        """
            .formatted(huge);

    assertThatThrownBy(() -> codec.decode("m", record.getBytes(StandardCharsets.UTF_8), Map.of()))
        .isInstanceOf(InvalidIngestEventException.class)
        .hasMessageStartingWith("record is over the platform's limits: String value length")
        .hasMessageContaining(
            "inline data.bytes may hold at most 16777216 bytes (22369624 base64 characters)")
        .hasMessageNotContaining("not valid JSON");
  }

  @Test
  void theLargestInlineEventFitsInTheLargestRecord() {
    byte[] image = new byte[(int) Limits.IMAGE_MAX_BYTES];

    assertThat(codec.encodeStructured(inline(image)).length)
        .isLessThan(Limits.KAFKA_MAX_RECORD_BYTES);
    assertThat(Limits.base64Length(Limits.IMAGE_MAX_BYTES))
        .isEqualTo(Limits.INLINE_IMAGE_MAX_BASE64_CHARS);
  }

  /** Producers read the schema: it must state the same ceiling for data.bytes. */
  @Test
  void theIngestSchemaStatesTheSameCeiling() throws java.io.IOException {
    com.fasterxml.jackson.databind.JsonNode schema;
    try (java.io.InputStream in =
        InlineLimitTest.class.getResourceAsStream("/schemas/media.ingest.v1.schema.json")) {
      schema = new com.fasterxml.jackson.databind.ObjectMapper().readTree(in);
    }
    assertThat(schema.at("/$defs/data/properties/bytes/maxLength").asLong())
        .isEqualTo(Limits.INLINE_IMAGE_MAX_BASE64_CHARS);
  }

  private static IngestEvent inline(byte[] image) {
    return new IngestEvent(
        "e-1",
        "/test",
        Instant.parse("2026-01-02T03:04:05Z"),
        "m-1",
        "acme",
        "image/png",
        null,
        image,
        Map.of(),
        List.of());
  }
}
