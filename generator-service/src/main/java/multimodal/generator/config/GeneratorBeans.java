package multimodal.generator.config;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import multimodal.generator.fetch.UriFetcher;
import multimodal.media.fetch.FetchPolicy;
import multimodal.media.fetch.MediaFetcher;

/** Builds the plain-Java collaborators from {@link GeneratorConfig}. */
public class GeneratorBeans {

  @Produces
  @Singleton
  UriFetcher uriFetcher(GeneratorConfig config) {
    GeneratorConfig.Fetch fetch = config.fetch();
    MediaFetcher fetcher = new MediaFetcher(
        new FetchPolicy(
            fetch.connectTimeout(),
            fetch.readTimeout(),
            config.images().maxBytes(),
            fetch.allowPrivateAddresses(),
            fetch.fileRoot(),
            fetch.maxRedirects(),
            fetch.internalPrefix(),
            "generator.fetch"));
    return new UriFetcher(fetcher, fetch.attempts(), fetch.retryBackoff());
  }
}
