package multimodal.v1.ingest;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProducerTenantsTest {
  final ProducerTenants rule =
      ProducerTenants.of(Map.of("/gateway", List.of("*"), "/crm", List.of("acme", "globex")), "encoder.producers");

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
        .hasMessage("producer '/crm' is not allowed to write tenant 'default' (allowed: acme, globex)");
    assertThatThrownBy(() -> rule.check("/other", "acme")).hasMessage("producer '/other' is not allowed to write any tenant");
    assertThatThrownBy(() -> rule.check(null, "acme")).hasMessageStartingWith("the record names no producer");
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
    assertThatThrownBy(() -> ProducerTenants.of(Map.of("/crm", List.of("Acme")), "retrieval.producers"))
        .hasMessageStartingWith("retrieval.producers.\"/crm\".tenants: tenant must match");
  }
}
