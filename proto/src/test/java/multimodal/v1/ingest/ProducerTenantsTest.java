package multimodal.v1.ingest;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProducerTenantsTest {
  final ProducerTenants rule =
      ProducerTenants.of(
          Map.of("/gateway", List.of("*"), "/crm", List.of("acme", "globex")), "encoder.producers");

  @Test
  void aProducerWritesItsTenantsAndTheWildcardAll() {
    assertThatCode(() -> rule.check("/crm", "acme")).doesNotThrowAnyException();
    assertThatCode(() -> rule.check("/crm", "globex")).doesNotThrowAnyException();
    assertThatCode(() -> rule.check("/gateway", "anyone")).doesNotThrowAnyException();
  }

  @Test
  void refusesOtherTenantsUnknownProducersAndRecordsThatNameNone() {
    assertThatThrownBy(() -> rule.check("/crm", "default"))
        .isInstanceOf(InvalidIngestEventException.class)
        .hasMessage(
            "producer '/crm' is not allowed to write tenant 'default' (allowed: acme, globex)");
    assertThatThrownBy(() -> rule.check("/other", "acme"))
        .hasMessage("producer '/other' is not allowed to write any tenant");
    assertThatThrownBy(() -> rule.check(null, "acme"))
        .hasMessageStartingWith("the record names no producer");
  }

  @Test
  void withoutProducersEveryoneWritesEverything() {
    ProducerTenants open = ProducerTenants.of(Map.of(), "encoder.producers");
    assertThatCode(() -> open.check(null, "acme")).doesNotThrowAnyException();
    assertThatCode(() -> ProducerTenants.open().check("/x", "default")).doesNotThrowAnyException();
  }

  @Test
  void refusesASettingThatNamesNoTenantOrNotATenant() {
    assertThatThrownBy(() -> ProducerTenants.of(Map.of("/crm", List.of()), "retrieval.producers"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("retrieval.producers.\"/crm\".tenants: name at least one tenant");
    assertThatThrownBy(
            () -> ProducerTenants.of(Map.of("/crm", List.of("Acme")), "retrieval.producers"))
        .hasMessageStartingWith("retrieval.producers.\"/crm\".tenants: tenant must match");
  }

  /**
   * The encoder and generator consumers decode with such a codec: a refusal is their dead-letter
   * reason.
   */
  @Test
  void theCodecOfAConsumerRefusesAnEventItsProducerMayNotWrite() {
    IngestEventCodec codec = new IngestEventCodec(rule);
    IngestEvent fromCrm =
        new IngestEvent(
            "e-1",
            "/crm",
            java.time.Instant.parse("2026-01-02T03:04:05Z"),
            "m-1",
            "default",
            "image/png",
            "https://example.org/m-1.png",
            null,
            Map.of(),
            List.of());
    byte[] structured = new IngestEventCodec().encodeStructured(fromCrm);

    assertThatThrownBy(() -> codec.decode("m-1", structured, Map.of()))
        .isInstanceOf(ProducerTenants.ProducerNotAllowedException.class)
        .hasMessage(
            "producer '/crm' is not allowed to write tenant 'default' (allowed: acme, globex)");
    assertThatCode(() -> new IngestEventCodec().decode("m-1", structured, Map.of()))
        .doesNotThrowAnyException();
  }

  @Test
  void writesTheConfigurationKeysOfARule() {
    org.assertj.core.api.Assertions.assertThat(
            ProducerTenants.properties("generator.producers", Map.of("/crm", "acme,globex")))
        .containsExactly(Map.entry("generator.producers.\"/crm\".tenants", "acme,globex"));
  }
}
