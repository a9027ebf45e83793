package multimodal.retrieval;

/** The Kafka record an index change came from; the index remembers the next offset to read. */
public record SourceOffset(String topic, int partition, long offset) {}
