package multimodal.encoder.messaging;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;
import multimodal.v1.ingest.ProducerTenants;

/**
 * Restricts the producers of media.ingest.v1 as a shared cluster does ({@code encoder.producers}):
 * the tests' own producer {@value #TEST_SOURCE} writes any tenant, {@value #CRM_SOURCE} only acme.
 */
public class ProducerRuleResource implements QuarkusTestResourceLifecycleManager {
  static final String TEST_SOURCE = "/test";
  static final String CRM_SOURCE = "/crm";

  @Override
  public Map<String, String> start() {
    return ProducerTenants.properties(
        "encoder.producers", Map.of(TEST_SOURCE, ProducerTenants.ANY, CRM_SOURCE, "acme"));
  }

  @Override
  public void stop() {}
}
