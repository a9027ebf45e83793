package multimodal.broker;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Broker settings shared by the in-JVM test broker (devkit), the local broker process and its
 * container image, so that tests see what the local run and the images see.
 */
public final class BrokerSettings {
  /** Largest record the platform writes: inline images up to 16 MiB (base64 adds a third). */
  public static final int MAX_MESSAGE_BYTES = 24 * 1024 * 1024;

  /** Partitions of auto-created topics: more than one, so keying and sharding are exercised. */
  public static final int DEFAULT_PARTITIONS = 4;

  private BrokerSettings() {}

  /** Single-node settings: replication factors of 1 and no rebalance delay. */
  public static Map<String, String> singleNode() {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "4");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("auto.create.topics.enable", "true");
    props.put("num.partitions", Integer.toString(DEFAULT_PARTITIONS));
    props.put("default.replication.factor", "1");
    props.put("min.insync.replicas", "1");
    props.put("message.max.bytes", Integer.toString(MAX_MESSAGE_BYTES));
    props.put("replica.fetch.max.bytes", Integer.toString(MAX_MESSAGE_BYTES));
    return props;
  }
}
