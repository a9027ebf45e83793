package multimodal.retrieval;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** For tests that seed the index directly: no broker, no materialiser. */
public class NoConsumerResource implements QuarkusTestResourceLifecycleManager {
  @Override
  public Map<String, String> start() {
    return Map.of("retrieval.consumer.enabled", "false");
  }

  @Override
  public void stop() {}
}
