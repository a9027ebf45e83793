package multimodal.generator.messaging;

import com.google.protobuf.Timestamp;
import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.awt.image.BufferedImage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import multimodal.generator.InvalidInputException;
import multimodal.generator.config.GeneratorConfig;
import multimodal.generator.fetch.UriFetcher;
import multimodal.generator.inference.vision.VisionAnalyzer;
import multimodal.generator.inference.vision.VisionResult;
import multimodal.generator.vision.VisionProtos;
import multimodal.generator.vision.VisionService;
import multimodal.media.video.VideoKeyframes;
import multimodal.v1.MediaVisionEvent;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Object tags and safety scores for every image and video of media.ingest.v1, published as a
 * MediaVisionEvent per media to media.vision.v1 (key = media id). Its own consumer group ({@code
 * generator-vision}), so tags arrive while captioning lags and a slow caption model never holds
 * them up; the work runs on {@link VisionService}'s bounded pool. The channel is paused until the
 * vision models are loaded (and stays paused with vision off). Poison records go to
 * media.ingest.v1.vision.dlq ({@link IngestMedia}); tombstones are skipped; audio is the speech
 * group's. The batch is acknowledged after the broker acknowledged every output. Idempotent: the
 * same media gives the same event, keyed by media id.
 *
 * <p>Videos are cut into keyframes one at a time, after the batch's images, exactly as the caption
 * group cuts them ({@link VideoFrames}, {@code generator.video.*}), so one video's frames are held
 * at a time; every keyframe is analysed like an image and the video gets one event with a segment
 * per keyframe and item-level tags and safety that summarise them ({@link
 * VisionProtos#videoEvent}). A video the decoder refuses is dead-lettered alone with its reason.
 */
@ApplicationScoped
public class VisionConsumer {
  private final VisionService vision;
  private final MutinyEmitter<byte[]> events;
  private final IngestMedia<CaptionInput> media;
  private final VideoFrames videos;

  public VisionConsumer(
      VisionService vision,
      GeneratorConfig config,
      UriFetcher fetcher,
      VideoKeyframes keyframes,
      @Channel(Channels.VISION_OUT) MutinyEmitter<byte[]> events,
      @Channel(Channels.VISION_DEAD_LETTERS_OUT) MutinyEmitter<byte[]> deadLetters,
      OpenTelemetry openTelemetry) {
    this.vision = vision;
    this.events = events;
    this.media = CaptionInput.ingestMedia(config, fetcher, "vision", deadLetters, openTelemetry);
    this.videos = new VideoFrames(keyframes);
  }

  @PreDestroy
  void stop() {
    media.close();
  }

  @Incoming(Channels.VISION_IN)
  @Blocking
  public void consume(ConsumerRecords<String, byte[]> records) {
    VisionAnalyzer analyzer = vision.models().await();
    try (IngestMedia.Batch<CaptionInput> batch = media.prepare(records)) {
      analyse(analyzer, batch);
    }
  }

  private void analyse(VisionAnalyzer analyzer, IngestMedia.Batch<CaptionInput> batch) {
    List<IngestMedia.Item<CaptionInput>> items = batch.items();
    List<Uni<Void>> sends = new ArrayList<>(batch.deadLetters());
    // The batch's still images in one call to the pool; videos one by one below, in input order.
    Iterator<VisionResult> stillResults = analyze(CaptionInput.stills(items)).iterator();
    int videoDeadLetters =
        media.publishEach(
            items,
            events,
            item ->
                withItem(
                    item.media() instanceof CaptionInput.Video video
                        ? videoEvent(analyzer, video)
                        : VisionProtos.event(analyzer, stillResults.next()),
                    item),
            sends);
    IngestMedia.awaitAll(sends);
    Log.debugf(
        "analysed %d media, %d dead letters",
        (Object) (items.size() - videoDeadLetters), batch.deadLetters().size() + videoDeadLetters);
  }

  private List<VisionResult> analyze(List<BufferedImage> images) {
    return images.isEmpty() ? List.of() : vision.analyze(images, vision.settings(), "ingest");
  }

  /**
   * @throws InvalidInputException when the keyframe extractor refuses the video
   */
  private MediaVisionEvent.Builder videoEvent(VisionAnalyzer analyzer, CaptionInput.Video video) {
    VideoFrames.Cut cut = videos.cut(video);
    return VisionProtos.videoEvent(analyzer, cut.times(), analyze(cut.images()), cut.durationMs())
        .setDecodeMicros(cut.decodeMicros());
  }

  /** The event's identity, fetch time and analysis time. */
  private static byte[] withItem(
      MediaVisionEvent.Builder event, IngestMedia.Item<CaptionInput> item) {
    Instant now = Instant.now();
    return event
        .setMediaId(item.event().mediaId())
        .setTenant(item.event().tenant())
        .setSourceEventId(item.event().eventId())
        .setFetchMicros(item.fetchMicros())
        .setAnalysedAt(
            Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
        .build()
        .toByteArray();
  }
}
