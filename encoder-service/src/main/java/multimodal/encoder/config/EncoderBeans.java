package multimodal.encoder.config;

import ai.onnxruntime.OrtEnvironment;
import io.quarkus.logging.Log;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import multimodal.encoder.inference.ModelLoader;
import multimodal.encoder.inference.OrtSettings;
import multimodal.media.ImageDecoder;
import multimodal.media.ImageDecoder.TruncatedImages;
import multimodal.media.ImageLimits;
import multimodal.media.fetch.FetchPolicy;
import multimodal.media.fetch.MediaFetcher;
import multimodal.v1.ingest.IngestEventCodec;
import multimodal.v1.ingest.ProducerTenants;

/** Builds the plain-Java collaborators from {@link EncoderConfig}. */
public class EncoderBeans {

  @Produces
  @Singleton
  ModelLoader modelLoader(EncoderConfig config) {
    EncoderConfig.Ort ort = config.ort();
    // One OrtEnvironment per JVM; every session is created on it.
    return new ModelLoader(
        OrtEnvironment.getEnvironment(),
        new OrtSettings(
            ort.intraOpThreads(), ort.interOpThreads(), ort.optimizationLevel(), ort.executionProvider(), ort.cudaDevice(),
            ort.allowSpinning()),
        new ImageDecoder(
            new ImageLimits(config.images().maxBytes(), config.images().maxPixels()),
            config.images().allowTruncated() ? TruncatedImages.ACCEPT : TruncatedImages.REFUSE));
  }

  @Produces
  @Singleton
  MediaFetcher mediaFetcher(EncoderConfig config) {
    EncoderConfig.Fetch fetch = config.fetch();
    return new MediaFetcher(
        new FetchPolicy(
            fetch.connectTimeout(),
            fetch.readTimeout(),
            config.images().maxBytes(),
            fetch.allowPrivateAddresses(),
            fetch.fileRoot(),
            fetch.maxRedirects(),
            fetch.internalPrefix(),
            "encoder.fetch"));
  }

  @Produces
  @Singleton
  IngestEventCodec ingestEventCodec(EncoderConfig config) {
    ProducerTenants producers = ProducerTenants.fromSettings(config.producers(), "encoder.producers");
    if (!producers.enforced()) {
      Log.warn(ProducerTenants.openWarning("encoder.producers"));
    }
    return new IngestEventCodec(producers);
  }
}
