package multimodal.generator.messaging;

import io.opentelemetry.api.OpenTelemetry;
import io.smallrye.reactive.messaging.MutinyEmitter;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import multimodal.generator.InvalidInputException;
import multimodal.generator.config.GeneratorConfig;
import multimodal.generator.fetch.UriFetcher;
import multimodal.generator.inference.image.ImageLoader;
import multimodal.media.config.ImageSettings;
import multimodal.media.process.ScratchFile;
import multimodal.media.video.InvalidVideoException;
import multimodal.media.video.VideoKeyframes;
import multimodal.v1.ingest.IngestEvent;
import multimodal.v1.ingest.ProducerTenants;
import multimodal.v1.ingest.VideoTypes;
import multimodal.v1.tracing.KafkaTraceContext;

/**
 * What the caption (and the vision) consumer holds of one ingested item between fetching and its
 * models: a decoded still image, or a video's bytes. A video is cut into keyframes only when its
 * turn comes ({@link VideoFrames}), so a batch never holds more than one video's frames at a time.
 */
sealed interface CaptionInput {
  record Still(BufferedImage image) implements CaptionInput {}

  /**
   * A video's bytes (inline) or the scratch file it was fetched to (a {@code data.uri}, up to
   * {@code generator.video.max-bytes}); the file is removed on {@link #close}, once captioned.
   *
   * @param bytes the inline bytes, or null
   * @param file the fetched file, or null
   * @param contentType the ingest event's type, already known to be a supported video type
   * @param field the event field the bytes came from ({@code data.bytes}, {@code data.uri})
   */
  record Video(byte[] bytes, ScratchFile file, String contentType, String field)
      implements CaptionInput, AutoCloseable {
    /** Inline bytes. */
    Video(byte[] bytes, String contentType, String field) {
      this(bytes, null, contentType, field);
    }

    @Override
    public void close() {
      if (file != null) {
        file.close();
      }
    }
  }

  /** Images and videos are the caption and vision consumers'; audio is the speech group's. */
  static boolean handles(IngestEvent event) {
    return VideoTypes.isStillImage(event.contentType()) || VideoTypes.isVideo(event.contentType());
  }

  /** The decoded still images among {@code items}, in order, for one batched step. */
  static List<BufferedImage> stills(List<IngestMedia.Item<CaptionInput>> items) {
    List<BufferedImage> stills = new ArrayList<>();
    for (IngestMedia.Item<CaptionInput> item : items) {
      if (item.media() instanceof Still still) {
        stills.add(still.image());
      }
    }
    return stills;
  }

  /**
   * {@link IngestMedia}'s decoding step for captions: images are decoded now; a video's type is
   * checked now (an unsupported type is refused with the keyframe decoder's reason) and its bytes
   * kept.
   */
  static IngestMedia.Decoder<CaptionInput> decoder(ImageLoader images) {
    return (bytes, event, field) -> {
      if (!VideoTypes.isVideo(event.contentType())) {
        return new Still(images.decode(bytes, field));
      }
      checkVideoType(event);
      return new Video(bytes, event.contentType(), field);
    };
  }

  /**
   * {@link IngestMedia}'s step for a video fetched to a scratch file: its type is checked now and
   * the file kept (closed here when refused) until the video's turn.
   */
  static IngestMedia.FileDecoder<CaptionInput> fileDecoder() {
    return (file, event, field) -> {
      try {
        checkVideoType(event);
      } catch (RuntimeException e) {
        file.close();
        throw e;
      }
      return new Video(null, file, event.contentType(), field);
    };
  }

  /** Which items are fetched to a file, under which limit: videos, under {@code maxBytes}. */
  static long fileLimit(IngestEvent event, long maxBytes) {
    return VideoTypes.isVideo(event.contentType()) ? maxBytes : 0;
  }

  private static void checkVideoType(IngestEvent event) {
    try {
      VideoKeyframes.supportedType(event.contentType());
    } catch (InvalidVideoException e) {
      throw new InvalidInputException(e.field(), e.reason(), e);
    }
  }

  /**
   * The ingest step of a group that looks at pictures (captions, vision): images decoded, videos
   * kept whole (a {@code uri} video fetched to a scratch file under {@code
   * generator.video.max-bytes}), refusals dead-lettered to {@code deadLetters}.
   */
  static IngestMedia<CaptionInput> ingestMedia(
      GeneratorConfig config,
      UriFetcher fetcher,
      String group,
      MutinyEmitter<byte[]> deadLetters,
      OpenTelemetry openTelemetry) {
    return new IngestMedia<>(
            CaptionInput::handles,
            decoder(new ImageLoader(ImageSettings.decoder(config.images()))),
            fetcher,
            config.fetch().concurrency(),
            group,
            deadLetters,
            ProducerTenants.fromSettings(config.producers(), "generator.producers"),
            new KafkaTraceContext(openTelemetry))
        .fetchingToFiles(event -> fileLimit(event, config.video().maxBytes()), fileDecoder());
  }
}
