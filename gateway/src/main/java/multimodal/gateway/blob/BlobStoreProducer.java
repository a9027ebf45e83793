package multimodal.gateway.blob;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import multimodal.gateway.config.GatewayConfig;

/** The local-directory implementations by default; another store replaces these producers. */
public class BlobStoreProducer {

  @Produces
  @Singleton
  BlobStore blobStore(GatewayConfig config) {
    Log.infof("blob store: local directory %s", config.blobs().dir().toAbsolutePath());
    return new LocalBlobStore(config.blobs().dir());
  }

  @Produces
  @Singleton
  StoredMedia storedMedia(BlobStore blobs, MediaRefs refs) {
    return new StoredMedia(blobs, refs);
  }

  @Produces
  @Singleton
  MediaRefs mediaRefs(GatewayConfig config, ObjectMapper json) {
    return new LocalMediaRefs(config.blobs().dir(), json);
  }
}
