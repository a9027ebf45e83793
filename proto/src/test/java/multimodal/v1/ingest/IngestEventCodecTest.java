package multimodal.v1.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestEventCodecTest {
  private final IngestEventCodec codec = new IngestEventCodec();
  private final IngestEvent event =
      new IngestEvent(
          "e-1",
          "/test",
          Instant.parse("2026-01-02T03:04:05Z"),
          "m-1",
          "acme",
          "image/png",
          null,
          new byte[] {1, 2, 3},
          Map.of("camera", "x100"),
          List.of("beach"));

  @Test
  void structuredModeRoundTrips() {
    IngestEvent decoded = codec.decode("m-1", codec.encodeStructured(event), Map.of());

    assertThat(decoded.eventId()).isEqualTo("e-1");
    assertThat(decoded.mediaId()).isEqualTo("m-1");
    assertThat(decoded.tenant()).isEqualTo("acme");
    assertThat(decoded.data()).containsExactly(1, 2, 3);
    assertThat(decoded.metadata()).containsEntry("camera", "x100");
    assertThat(decoded.tags()).containsExactly("beach");
    assertThat(decoded.time()).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
  }

  @Test
  void binaryModeReadsAttributesFromHeaders() {
    Map<String, byte[]> headers = new HashMap<>();
    codec
        .binaryHeaders(event)
        .forEach((k, v) -> headers.put(k, v.getBytes(StandardCharsets.UTF_8)));

    IngestEvent decoded = codec.decode("m-1", codec.encodeBinaryData(event), headers);

    assertThat(decoded.eventId()).isEqualTo("e-1");
    assertThat(decoded.source()).isEqualTo("/test");
    assertThat(decoded.data()).containsExactly(1, 2, 3);
  }

  @Test
  void dataDeclaredAsAnythingButJsonIsRefusedInBothModes() {
    String structured =
        """
        {"specversion":"1.0","id":"e-3","source":"kcat","type":"dev.multimodal.media.ingest.v1",
         "datacontenttype":"text/plain","data":{"mediaId":"m-3","uri":"https://example.org/a.jpg"}}\
        """;
    assertThatThrownBy(
            () -> codec.decode(null, structured.getBytes(StandardCharsets.UTF_8), Map.of()))
        .isInstanceOf(InvalidIngestEventException.class)
        .hasMessageContaining("datacontenttype must be application/json")
        .hasMessageContaining("'text/plain'");

    Map<String, byte[]> headers = new HashMap<>();
    codec
        .binaryHeaders(event)
        .forEach((k, v) -> headers.put(k, v.getBytes(StandardCharsets.UTF_8)));
    headers.put("content-type", "application/xml".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> codec.decode("m-1", codec.encodeBinaryData(event), headers))
        .isInstanceOf(InvalidIngestEventException.class)
        .hasMessageContaining("content-type header must be application/json");

    headers.put("content-type", "application/json; charset=utf-8".getBytes(StandardCharsets.UTF_8));
    assertThat(codec.decode("m-1", codec.encodeBinaryData(event), headers).mediaId())
        .isEqualTo("m-1");
  }

  @Test
  void uriEventWithoutTenantGetsDefaultTenant() {
    String json =
        """
        {"specversion":"1.0","id":"e-2","source":"kcat","type":"dev.multimodal.media.ingest.v1",
         "data":{"mediaId":"m-2","uri":"https://example.org/a.jpg"}}\
        """;

    IngestEvent decoded = codec.decode(null, json.getBytes(StandardCharsets.UTF_8), Map.of());

    assertThat(decoded.tenant()).isEqualTo(IngestEvent.DEFAULT_TENANT);
    assertThat(decoded.uri()).isEqualTo("https://example.org/a.jpg");
    assertThat(decoded.inline()).isFalse();
  }

  @Test
  void rejectsMalformedRecordsWithAReason() {
    assertThatThrownBy(
            () -> codec.decode("k", "{not json".getBytes(StandardCharsets.UTF_8), Map.of()))
        .isInstanceOf(InvalidIngestEventException.class)
        .hasMessageContaining("not valid JSON");
    assertThatThrownBy(
            () -> codec.decode("k", "{\"a\":1}".getBytes(StandardCharsets.UTF_8), Map.of()))
        .hasMessageContaining("not a CloudEvent");
    String both =
        """
        {"specversion":"1.0","id":"e","source":"s","type":"dev.multimodal.media.ingest.v1",
         "data":{"mediaId":"m","uri":"https://x/y","bytes":"AQI="}}\
        """;
    assertThatThrownBy(() -> codec.decode("m", both.getBytes(StandardCharsets.UTF_8), Map.of()))
        .hasMessageContaining("exactly one of data.uri and data.bytes");
    String wrongType = both.replace("dev.multimodal.media.ingest.v1", "other");
    assertThatThrownBy(
            () -> codec.decode("m", wrongType.getBytes(StandardCharsets.UTF_8), Map.of()))
        .hasMessageContaining("unexpected event type");
  }

  @Test
  void rejectsKeyThatDiffersFromMediaId() {
    assertThatThrownBy(() -> codec.decode("other", codec.encodeStructured(event), Map.of()))
        .hasMessageContaining("differs from data.mediaId");
  }
}
