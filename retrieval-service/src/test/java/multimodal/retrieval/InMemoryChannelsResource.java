package multimodal.retrieval;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import java.util.HashMap;
import java.util.Map;
import multimodal.retrieval.messaging.Channels;

/** Replaces the Kafka channels by in-memory ones, for tests that need no broker. */
public class InMemoryChannelsResource implements QuarkusTestResourceLifecycleManager {
  @Override
  public Map<String, String> start() {
    Map<String, String> props = new HashMap<>();
    props.putAll(InMemoryConnector.switchIncomingChannelsToInMemory(Channels.EMBEDDINGS_IN, Channels.INGEST_IN));
    return props;
  }

  @Override
  public void stop() {
    InMemoryConnector.clear();
  }
}
