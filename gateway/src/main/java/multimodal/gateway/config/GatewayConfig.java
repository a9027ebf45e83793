package multimodal.gateway.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Gateway knobs. Every key is {@code gateway.*}; env vars follow Quarkus' mapping (GATEWAY_UPLOAD_MAX_BYTES). */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

  Upload upload();

  Ingest ingest();

  Retrieval retrieval();

  interface Upload {
    /**
     * Largest accepted image. Keep {@code quarkus.http.limits.max-body-size} above it (multipart
     * overhead), and the Kafka producer's {@code max.request.size} above 4/3 of it (base64 inline).
     */
    @WithDefault("16M")
    MemorySize maxBytes();
  }

  interface Ingest {
    /** CloudEvents {@code source} of the events the gateway publishes. */
    @WithDefault("/gateway")
    String source();

    /** How long an ingest request waits for Kafka's acknowledgement before answering 503. */
    @WithDefault("30s")
    Duration publishTimeout();
  }

  interface Retrieval {
    /** Deadline of each call to retrieval-service (set per call: a stub-level deadline would be absolute). */
    @WithDefault("10s")
    Duration timeout();
  }
}
