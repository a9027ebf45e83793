package multimodal.generator.messaging;

import com.google.protobuf.Timestamp;
import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import multimodal.generator.config.GeneratorConfig;
import multimodal.generator.fetch.UriFetcher;
import multimodal.generator.inference.speech.AudioDecoder;
import multimodal.generator.inference.speech.Pcm16k;
import multimodal.generator.inference.speech.SpeechRecognitionException;
import multimodal.generator.inference.speech.SpeechRecognizer;
import multimodal.generator.inference.speech.Transcript;
import multimodal.generator.speech.SpeechEngine;
import multimodal.generator.speech.SpeechProtos;
import multimodal.v1.MediaTranscriptEvent;
import multimodal.v1.ingest.AudioTypes;
import multimodal.v1.ingest.ProducerTenants;
import multimodal.v1.ingest.VideoTypes;
import multimodal.v1.tracing.KafkaTraceContext;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Transcribes the audio items of media.ingest.v1 ({@code audio/*} content types) and the audio
 * track of its videos ({@code video/*}; still images are skipped) and publishes a
 * MediaTranscriptEvent per item to media.transcript.v1 (key = media id). Its own consumer group
 * ({@code generator-speech}), so a long recording never holds up captions or tags. Each item is
 * fetched and decoded by FFmpeg ({@link IngestMedia} with the {@link
 * multimodal.generator.inference.speech.AudioDecoder}), then recognised; an item that is refused
 * (unsupported type, a file that does not decode, is truncated, too long or too slow to decode, a
 * recogniser failure or time-out on it) is dead-lettered alone to media.ingest.v1.speech.dlq with
 * the reason, and the rest of the batch goes on. A video without an audio track gets an empty
 * transcript (no segments, duration 0): it was listened to and says nothing, like a silent
 * recording, and is no poison. The batch is acknowledged after the broker acknowledged every
 * output. Idempotent: the same audio gives the same transcript, keyed by media id.
 */
@ApplicationScoped
public class SpeechConsumer {
  /** Decoded audio and what decoding it cost. */
  record Decoded(Pcm16k pcm, long decodeMicros) {}

  private final SpeechEngine engine;
  private final MutinyEmitter<byte[]> transcripts;
  private final IngestMedia<Decoded> media;

  public SpeechConsumer(
      SpeechEngine engine,
      GeneratorConfig config,
      UriFetcher fetcher,
      @Channel(Channels.SPEECH_OUT) MutinyEmitter<byte[]> transcripts,
      @Channel(Channels.SPEECH_DEAD_LETTERS_OUT) MutinyEmitter<byte[]> deadLetters,
      OpenTelemetry openTelemetry) {
    this.engine = engine;
    this.transcripts = transcripts;
    this.media =
        new IngestMedia<>(
                event ->
                    AudioTypes.isAudio(event.contentType())
                        || VideoTypes.isVideo(event.contentType()),
                (bytes, event, field) ->
                    decoded(() -> decoder().decode(bytes, event.contentType(), field)),
                fetcher,
                config.speech().decodeConcurrency(),
                "speech",
                deadLetters,
                ProducerTenants.fromSettings(config.producers(), "generator.producers"),
                new KafkaTraceContext(openTelemetry))
            // A recording or video by URI may be far larger than an image: fetched to a scratch
            // file under generator.speech.max-bytes, which FFmpeg reads in place.
            .fetchingToFiles(
                event -> config.speech().maxBytes(),
                (file, event, field) -> {
                  try (file) {
                    return decoded(() -> decoder().decode(file.path(), event.contentType(), field));
                  }
                });
  }

  private AudioDecoder decoder() {
    return engine.ready().orElseThrow(() -> new IllegalStateException("speech is off")).decoder();
  }

  private static Decoded decoded(java.util.function.Supplier<Pcm16k> decode) {
    long start = System.nanoTime();
    Pcm16k pcm = decode.get();
    return new Decoded(pcm, (System.nanoTime() - start) / 1_000);
  }

  @PreDestroy
  void stop() {
    media.close();
  }

  @Incoming(Channels.SPEECH_IN)
  @Blocking
  public void consume(ConsumerRecords<String, byte[]> records) {
    SpeechRecognizer recognizer =
        engine
            .ready()
            .orElseThrow(() -> new IllegalStateException("speech is off: " + engine.offReason()))
            .recognizer();
    IngestMedia.Batch<Decoded> batch = media.prepare(records);
    List<Uni<Void>> sends = new ArrayList<>(batch.deadLetters());
    int transcribed = 0;
    for (IngestMedia.Item<Decoded> item : batch.items()) {
      long start = System.nanoTime();
      Transcript transcript;
      try {
        // A video without an audio track: nothing to hear, so no recogniser run.
        transcript =
            item.media().pcm().isEmpty()
                ? new Transcript(List.of())
                : recognizer.transcribe(item.media().pcm());
      } catch (SpeechRecognitionException e) {
        Log.warnf("dead-lettering media %s: %s", item.event().mediaId(), e.getMessage());
        sends.add(media.deadLetter(item.record(), e.getMessage()));
        continue;
      }
      long recognizeMicros = (System.nanoTime() - start) / 1_000;
      Instant now = Instant.now();
      MediaTranscriptEvent event =
          SpeechProtos.event(transcript, recognizer.info(), item.media().pcm().durationMillis())
              .setMediaId(item.event().mediaId())
              .setTenant(item.event().tenant())
              .setSourceEventId(item.event().eventId())
              .setContentType(item.event().contentType())
              .setFetchMicros(item.fetchMicros())
              .setDecodeMicros(item.media().decodeMicros())
              .setRecognizeMicros(recognizeMicros)
              .setTranscribedAt(
                  Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
              .build();
      sends.add(IngestMedia.send(transcripts, item, event.toByteArray()));
      transcribed++;
    }
    IngestMedia.awaitAll(sends);
    Log.debugf(
        "transcribed %d audio and video items, %d dead letters",
        (Object) transcribed, sends.size() - transcribed);
  }
}
