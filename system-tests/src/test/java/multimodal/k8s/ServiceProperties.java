package multimodal.k8s;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a service's application.properties says about its Kafka channels (SmallRye Reactive
 * Messaging).
 */
record ServiceProperties(String service, Properties properties) {
  private static final Pattern CHANNEL =
      Pattern.compile("mp\\.messaging\\.(incoming|outgoing)\\.([^.]+)\\.topic");

  /** A consumer group reading a topic. */
  record GroupRead(String group, String topic) {}

  static ServiceProperties of(String service) {
    Properties properties = new Properties();
    try (Reader in =
        Files.newBufferedReader(
            RenderedOverlay.ROOT
                .resolve(service)
                .resolve("src/main/resources/application.properties"))) {
      properties.load(in);
    } catch (IOException e) {
      throw new IllegalStateException("no application.properties for " + service, e);
    }
    return new ServiceProperties(service, properties);
  }

  /** (group.id, topic) of each incoming channel that consumes in a group. */
  Set<GroupRead> groupReads() {
    Set<GroupRead> reads = new java.util.HashSet<>();
    forEachChannel(
        "incoming",
        channel -> {
          String group = properties.getProperty("mp.messaging.incoming." + channel + ".group.id");
          if (group != null) {
            reads.add(
                new GroupRead(
                    group, properties.getProperty("mp.messaging.incoming." + channel + ".topic")));
          }
        });
    return reads;
  }

  Set<String> topicsRead() {
    Set<String> topics = new TreeSet<>();
    forEachChannel(
        "incoming",
        c -> topics.add(properties.getProperty("mp.messaging.incoming." + c + ".topic")));
    return topics;
  }

  /** Outgoing channels' topics and the dead-letter topics of incoming ones. */
  Set<String> topicsWritten() {
    Set<String> topics = new TreeSet<>();
    forEachChannel(
        "outgoing",
        c -> topics.add(properties.getProperty("mp.messaging.outgoing." + c + ".topic")));
    forEachChannel(
        "incoming",
        c -> {
          String dlq =
              properties.getProperty("mp.messaging.incoming." + c + ".dead-letter-queue.topic");
          if (dlq != null) {
            topics.add(dlq);
          }
        });
    return topics;
  }

  private void forEachChannel(String direction, java.util.function.Consumer<String> action) {
    for (String key : properties.stringPropertyNames()) {
      Matcher matcher = CHANNEL.matcher(key);
      if (matcher.matches() && matcher.group(1).equals(direction)) {
        action.accept(matcher.group(2));
      }
    }
  }
}
