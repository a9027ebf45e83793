package multimodal.encoder.config;

import ai.onnxruntime.OrtEnvironment;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import multimodal.encoder.fetch.FetchPolicy;
import multimodal.encoder.fetch.MediaFetcher;
import multimodal.encoder.inference.ClipModelLoader;
import multimodal.encoder.inference.ImageLimits;
import multimodal.encoder.inference.OrtSettings;
import multimodal.v1.ingest.IngestEventCodec;

/** Builds the plain-Java collaborators from {@link EncoderConfig}. */
public class EncoderBeans {

  @Produces
  @Singleton
  ClipModelLoader modelLoader(EncoderConfig config) {
    // One OrtEnvironment per JVM; every session is created on it.
    return new ClipModelLoader(
        OrtEnvironment.getEnvironment(),
        new OrtSettings(config.ort().intraOpThreads(), config.ort().interOpThreads()),
        new ImageLimits(config.images().maxBytes(), config.images().maxPixels()));
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
            fetch.maxRedirects()));
  }

  @Produces
  @Singleton
  IngestEventCodec ingestEventCodec() {
    return new IngestEventCodec();
  }
}
