package multimodal.encoder.config;

import ai.onnxruntime.OrtEnvironment;
import io.quarkus.logging.Log;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import multimodal.encoder.inference.ModelLoader;
import multimodal.encoder.inference.OrtSettings;
import multimodal.media.config.FetchSettings;
import multimodal.media.config.ImageSettings;
import multimodal.media.config.VideoSettings;
import multimodal.media.fetch.MediaFetcher;
import multimodal.media.video.VideoKeyframes;
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
                ort.intraOpThreads(),
                ort.interOpThreads(),
                ort.optimizationLevel(),
                ort.executionProvider(),
                ort.cudaDevice(),
                ort.allowSpinning())
            .sharedBy(config.batching().workers()),
        ImageSettings.decoder(config.images()),
        config.images().jpegDctScaling());
  }

  @Produces
  @Singleton
  MediaFetcher mediaFetcher(EncoderConfig config) {
    return FetchSettings.fetcher(config.fetch(), config.images().maxBytes(), "encoder.fetch");
  }

  @Produces
  @Singleton
  VideoKeyframes videoKeyframes(EncoderConfig config) {
    return new VideoKeyframes(VideoSettings.limits(config.video()));
  }

  @Produces
  @Singleton
  IngestEventCodec ingestEventCodec(EncoderConfig config) {
    ProducerTenants producers =
        ProducerTenants.fromSettings(config.producers(), "encoder.producers");
    if (!producers.enforced()) {
      Log.warn(ProducerTenants.openWarning("encoder.producers"));
    }
    return new IngestEventCodec(producers);
  }
}
