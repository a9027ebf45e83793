package multimodal.v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TenantIdTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "default",
        "acme",
        "a",
        "0",
        "team-7",
        "x-",
        "a23456789012345678901234567890123456789012345678901234567890123"
      })
  void acceptsLowerCaseLettersDigitsAndDashes(String tenant) {
    assertThat(TenantId.isValid(tenant)).isTrue();
    assertThat(TenantId.requireValid(tenant, "tenant")).isEqualTo(tenant);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "Mixed.Co",
        "ACME",
        "acme.corp",
        "acme_corp",
        "-acme",
        "a b",
        "acme/other",
        "é",
        "a234567890123456789012345678901234567890123456789012345678901234" // 64 characters
      })
  void refusesEverythingElse(String tenant) {
    assertThat(TenantId.isValid(tenant)).isFalse();
  }

  @Test
  void refusesNull() {
    assertThat(TenantId.isValid(null)).isFalse();
  }

  @Test
  void refusalNamesTheFieldTheGrammarAndTheValue() {
    assertThatThrownBy(() -> TenantId.requireValid("Mixed.Co", "gateway.auth.keys.ops.tenant"))
        .isInstanceOfSatisfying(
            InvalidFieldException.class,
            e -> {
              assertThat(e.field()).isEqualTo("gateway.auth.keys.ops.tenant");
              assertThat(e.getMessage()).contains(TenantId.GRAMMAR).contains("'Mixed.Co'");
            });
  }

  /** The schema is the contract producers read; it must state exactly this grammar. */
  @Test
  void theIngestSchemaStatesTheSameGrammar() throws IOException {
    JsonNode schema;
    try (InputStream in =
        TenantIdTest.class.getResourceAsStream("/schemas/media.ingest.v1.schema.json")) {
      assertThat(in).as("schema on the classpath").isNotNull();
      schema = new ObjectMapper().readTree(in);
    }
    JsonNode tenant = schema.at("/$defs/data/properties/tenant");
    assertThat(tenant.path("pattern").asText()).isEqualTo("^" + TenantId.GRAMMAR + "$");
    assertThat(TenantId.isValid(tenant.path("default").asText()))
        .as("the schema's default tenant")
        .isTrue();
  }
}
