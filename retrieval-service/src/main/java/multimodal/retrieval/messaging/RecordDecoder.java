package multimodal.retrieval.messaging;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.util.Map;
import multimodal.retrieval.IndexChange;
import multimodal.retrieval.KeyframeCaptions;
import multimodal.retrieval.Transcript;
import multimodal.retrieval.Vision;
import multimodal.v1.MediaCaptionEvent;
import multimodal.v1.MediaTranscriptEvent;
import multimodal.v1.MediaVisionEvent;
import multimodal.v1.TenantId;
import multimodal.v1.TimeRange;
import multimodal.v1.Topics;
import multimodal.v1.ingest.IngestEvent;
import multimodal.v1.ingest.IngestEventCodec;
import multimodal.v1.ingest.IngestTombstone;
import multimodal.v1.ingest.InvalidIngestEventException;
import multimodal.v1.ingest.ProducerTenants;

/** Turns one record of a consumed topic into an {@link IndexChange}; every rejection says why. */
public final class RecordDecoder {
  private final EmbeddingEventMapper embeddings;
  private final IngestEventCodec ingestCodec;
  private final String defaultTenant;
  private final ProducerTenants producers;

  /** Any producer may write any tenant ({@link ProducerTenants#open()}). */
  public RecordDecoder(String defaultTenant) {
    this(defaultTenant, ProducerTenants.open());
  }

  /**
   * @param producers which tenants each producer of media.ingest.v1 may write; the derived topics
   *     are written by the platform's own services (Kafka ACLs keep everyone else off them)
   */
  public RecordDecoder(String defaultTenant, ProducerTenants producers) {
    // Checked here, at start: a default outside the grammar would file every event without a tenant
    // under a name no API key can have, so those items would be unreachable and undeletable.
    if (!TenantId.isValid(defaultTenant)) {
      throw new IllegalArgumentException(
          "retrieval.search.default-tenant " + TenantId.message(defaultTenant));
    }
    this.defaultTenant = defaultTenant;
    this.embeddings = new EmbeddingEventMapper(defaultTenant);
    this.producers = producers;
    this.ingestCodec = new IngestEventCodec(producers);
  }

  /**
   * @param headers record headers by name (last value wins)
   * @throws InvalidEventException for a record that can never be applied
   */
  public IndexChange decode(String topic, String key, byte[] value, Map<String, byte[]> headers) {
    return decode(topic, key, value, headers, Instant.now());
  }

  /**
   * @param timestamp the record's timestamp (a tombstone's deletion time)
   */
  public IndexChange decode(
      String topic, String key, byte[] value, Map<String, byte[]> headers, Instant timestamp) {
    return switch (topic) {
      case Topics.MEDIA_EMBEDDING -> new IndexChange.Embedded(embeddings.fromRecord(key, value));
      case Topics.MEDIA_CAPTION -> caption(key, value);
      case Topics.MEDIA_VISION -> vision(key, value);
      case Topics.MEDIA_TRANSCRIPT -> transcript(key, value);
      case Topics.MEDIA_INGEST -> ingest(key, value, headers, timestamp);
      default -> throw new InvalidEventException("unexpected topic " + topic);
    };
  }

  private IndexChange caption(String key, byte[] value) {
    MediaCaptionEvent event =
        parse(Topics.MEDIA_CAPTION, "MediaCaptionEvent", MediaCaptionEvent.parser(), value);
    String mediaId = mediaId(key, event.getMediaId());
    for (var segment : event.getSegmentsList()) {
      checkRange(segment.getTime());
    }
    String captionModel =
        event.getCaptionModelName().isEmpty()
            ? ""
            : event.getCaptionModelName() + "@" + event.getCaptionModelVersion();
    return new IndexChange.Captioned(
        mediaId,
        event.getTenant().isBlank() ? defaultTenant : event.getTenant(),
        event.getCaption(),
        captionModel,
        event.getOcrText(),
        event.getOcrEngine(),
        event.hasGeneratedAt() ? instant(event.getGeneratedAt()) : null,
        event.getCaptionModelFixture(),
        KeyframeCaptions.fromEvent(event));
  }

  private IndexChange vision(String key, byte[] value) {
    MediaVisionEvent event =
        parse(Topics.MEDIA_VISION, "MediaVisionEvent", MediaVisionEvent.parser(), value);
    String mediaId = mediaId(key, event.getMediaId());
    VisionEventCheck.check(event);
    return new IndexChange.Analysed(
        mediaId,
        event.getTenant().isBlank() ? defaultTenant : event.getTenant(),
        Vision.fromEvent(event));
  }

  private IndexChange transcript(String key, byte[] value) {
    MediaTranscriptEvent event =
        parse(
            Topics.MEDIA_TRANSCRIPT, "MediaTranscriptEvent", MediaTranscriptEvent.parser(), value);
    String mediaId = mediaId(key, event.getMediaId());
    for (var segment : event.getSegmentsList()) {
      checkRange(segment.getTime());
    }
    return new IndexChange.Transcribed(
        mediaId,
        event.getTenant().isBlank() ? defaultTenant : event.getTenant(),
        Transcript.fromEvent(event));
  }

  /** A segment's time range must start at 0 or later and not end before it starts. */
  private static void checkRange(TimeRange time) {
    if (time.getStartMs() < 0 || time.getEndMs() < time.getStartMs()) {
      throw new InvalidEventException(
          "segment time range %d..%d ms is not a range"
              .formatted(time.getStartMs(), time.getEndMs()));
    }
  }

  private IndexChange ingest(
      String key, byte[] value, Map<String, byte[]> headers, Instant timestamp) {
    if (value == null) {
      try {
        IngestTombstone tombstone = IngestTombstone.fromRecord(key, headers);
        producers.check(tombstone.source(), tombstone.tenant());
        return new IndexChange.Deleted(tombstone.mediaId(), tombstone.tenant(), timestamp);
      } catch (InvalidIngestEventException e) {
        throw new InvalidEventException(e.getMessage(), e);
      }
    }
    IngestEvent event;
    try {
      event = ingestCodec.decode(key, value, headers);
    } catch (ProducerTenants.ProducerNotAllowedException e) {
      throw new InvalidEventException(e.getMessage(), e); // a valid event, from the wrong producer
    } catch (InvalidIngestEventException e) {
      throw new InvalidEventException("not a media.ingest.v1 event: " + e.getMessage(), e);
    }
    return new IndexChange.Ingested(
        event.mediaId(),
        event.tenant(),
        event.contentType(),
        event.metadata(),
        event.tags(),
        event.time());
  }

  /** A protobuf event value; these topics have no tombstones. */
  private static <T> T parse(String topic, String type, Parser<T> parser, byte[] value) {
    if (value == null) {
      throw new InvalidEventException("null value: " + topic + " has no tombstones");
    }
    try {
      return parser.parseFrom(value);
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidEventException("not a " + type + ": " + e.getMessage(), e);
    }
  }

  private static String mediaId(String key, String fromValue) {
    String mediaId = fromValue.isEmpty() && key != null ? key : fromValue;
    if (mediaId.isBlank()) {
      throw new InvalidEventException("media_id is missing");
    }
    if (key != null && !key.equals(mediaId)) {
      throw new InvalidEventException("key '" + key + "' differs from media_id '" + mediaId + "'");
    }
    return mediaId;
  }

  private static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }
}
