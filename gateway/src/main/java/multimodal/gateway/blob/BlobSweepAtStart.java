package multimodal.gateway.blob;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Instant;
import multimodal.gateway.config.GatewayConfig;

/**
 * Once per start, in the background: removes blobs that no item references (left by a crash between
 * a delete's record removal and its byte removal). Background, so a large store does not delay
 * readiness; a failure is logged and retried at the next start.
 */
@Singleton
public class BlobSweepAtStart {
  void onStart(@Observes StartupEvent start, StoredMedia stored, GatewayConfig config) {
    Thread sweep =
        new Thread(
            () -> {
              try {
                stored.sweep(config.blobs().sweepGrace(), Instant.now());
              } catch (RuntimeException e) {
                Log.warnf("blob sweep failed (retried at the next start): %s", e.toString());
              }
            },
            "blob-sweep");
    sweep.setDaemon(true);
    sweep.start();
  }
}
