package multimodal.generator;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import java.util.HashMap;
import java.util.Map;
import multimodal.generator.messaging.Channels;

/** Puts the Kafka channels on the in-memory connector, for tests that need no broker. */
public class InMemoryChannelsResource implements QuarkusTestResourceLifecycleManager {
  @Override
  public Map<String, String> start() {
    Map<String, String> properties = new HashMap<>();
    properties.putAll(
        InMemoryConnector.switchIncomingChannelsToInMemory(
            Channels.INGEST_IN, Channels.VISION_IN, Channels.SPEECH_IN));
    properties.putAll(
        InMemoryConnector.switchOutgoingChannelsToInMemory(
            Channels.CAPTIONS_OUT,
            Channels.DEAD_LETTERS_OUT,
            Channels.VISION_OUT,
            Channels.VISION_DEAD_LETTERS_OUT,
            Channels.SPEECH_OUT,
            Channels.SPEECH_DEAD_LETTERS_OUT));
    return properties;
  }

  @Override
  public void stop() {
    InMemoryConnector.clear();
  }
}
