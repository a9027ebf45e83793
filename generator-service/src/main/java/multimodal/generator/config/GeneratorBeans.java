package multimodal.generator.config;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import multimodal.generator.fetch.UriFetcher;
import multimodal.media.config.FetchSettings;
import multimodal.media.config.VideoSettings;
import multimodal.media.fetch.MediaFetcher;
import multimodal.media.video.VideoKeyframes;

/** Builds the plain-Java collaborators from {@link GeneratorConfig}. */
public class GeneratorBeans {

  @Produces
  @Singleton
  UriFetcher uriFetcher(GeneratorConfig config) {
    GeneratorConfig.Fetch fetch = config.fetch();
    MediaFetcher fetcher =
        FetchSettings.fetcher(fetch, config.images().maxBytes(), "generator.fetch");
    return new UriFetcher(fetcher, fetch.attempts(), fetch.retryBackoff());
  }

  @Produces
  @Singleton
  VideoKeyframes videoKeyframes(GeneratorConfig config) {
    return new VideoKeyframes(VideoSettings.limits(config.video()));
  }
}
