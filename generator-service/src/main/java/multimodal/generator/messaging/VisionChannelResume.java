package multimodal.generator.messaging;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.ChannelRegistry;
import io.smallrye.reactive.messaging.PausableChannel;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import multimodal.generator.vision.VisionModels;

/**
 * Resumes the vision consumer's channel (paused at start, application.properties) once the vision
 * models are loaded. With vision off, or when they fail to load, it stays paused, so the
 * generator-vision group's offsets stay where they are. Here, not in {@link VisionModels}, so that
 * the vision package knows nothing of Kafka channels.
 */
@Singleton
class VisionChannelResume {
  void onStart(@Observes StartupEvent event, VisionModels models, ChannelRegistry channels) {
    models.whenLoaded().thenRun(() -> resume(channels));
  }

  private static void resume(ChannelRegistry channels) {
    PausableChannel channel = channels.getPausable(Channels.VISION_IN);
    if (channel == null) {
      Log.errorf("channel %s is not pausable: media.ingest.v1 is not analysed", Channels.VISION_IN);
    } else {
      channel.resume();
    }
  }
}
