package multimodal.gateway;

import multimodal.v1.ingest.IngestEvent;

/**
 * Where taken-in media is announced: media.ingest.v1 (the messaging package's publisher). An
 * interface here so that the gateway's domain code does not import the Kafka layer above it.
 */
public interface IngestEvents {
  /** Publishes the event keyed by its media id; returns once the broker has acknowledged it. */
  void publish(IngestEvent event);

  /** Publishes the delete of one tenant's item (a tombstone keyed by its media id). */
  void publishTombstone(String tenant, String mediaId);
}
