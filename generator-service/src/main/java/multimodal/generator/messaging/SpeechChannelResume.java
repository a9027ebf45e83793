package multimodal.generator.messaging;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.ChannelRegistry;
import io.smallrye.reactive.messaging.PausableChannel;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import multimodal.generator.speech.SpeechEngine;

/**
 * Resumes the speech consumer's channel (paused at start, application.properties) when speech is
 * on. Off (disabled, or FFmpeg/PocketSphinx missing), it stays paused, so the generator-speech
 * group's offsets stay where they are.
 */
@Singleton
class SpeechChannelResume {
  void onStart(@Observes StartupEvent event, SpeechEngine speech, ChannelRegistry channels) {
    if (speech.ready().isEmpty()) {
      return;
    }
    PausableChannel channel = channels.getPausable(Channels.SPEECH_IN);
    if (channel == null) {
      Log.errorf("channel %s is not pausable: audio is not transcribed", Channels.SPEECH_IN);
    } else {
      channel.resume();
    }
  }
}
