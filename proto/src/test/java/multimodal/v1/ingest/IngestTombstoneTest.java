package multimodal.v1.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestTombstoneTest {
  @Test
  void theTenantAndProducerComeFromTheHeaders() {
    IngestTombstone t =
        IngestTombstone.fromRecord(
            "photo-1", Map.of("tenant", bytes("acme"), "ce_source", bytes("/gateway")));
    assertThat(t).isEqualTo(new IngestTombstone("photo-1", "acme", "/gateway"));
  }

  @Test
  void withoutATenantHeaderItIsTheDefaultTenantsDelete() {
    assertThat(IngestTombstone.fromRecord("photo-1", Map.of()))
        .isEqualTo(new IngestTombstone("photo-1", "default", null));
  }

  @Test
  void refusesAMissingKeyAndATenantOutsideTheGrammar() {
    assertThatThrownBy(() -> IngestTombstone.fromRecord(null, Map.of()))
        .hasMessage("tombstone without a key (media id)");
    assertThatThrownBy(
            () -> IngestTombstone.fromRecord("photo-1", Map.of("tenant", bytes("Mixed.Co"))))
        .isInstanceOf(InvalidIngestEventException.class)
        .hasMessageStartingWith("tombstone header tenant must match");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
