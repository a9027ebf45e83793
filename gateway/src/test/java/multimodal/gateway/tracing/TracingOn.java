package multimodal.gateway.tracing;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * The gateway with OpenTelemetry on, its spans exported to {@link InMemorySpans} at once; the batch
 * processor's queue keeps the size the services run with (2048), as in the system test.
 */
public class TracingOn implements QuarkusTestProfile {
  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of("quarkus.otel.sdk.disabled", "false", "quarkus.otel.bsp.schedule.delay", "0.05s");
  }
}
