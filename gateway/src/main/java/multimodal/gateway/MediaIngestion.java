package multimodal.gateway;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import multimodal.gateway.blob.ClaimCheckUrls;
import multimodal.gateway.blob.MediaRef;
import multimodal.gateway.blob.MediaRefs;
import multimodal.gateway.blob.StoredMedia;
import multimodal.gateway.config.GatewayConfig;
import multimodal.media.TruncatedEnd;
import multimodal.v1.ingest.IngestEvent;
import multimodal.v1.ingest.VideoTypes;

/**
 * Takes media in for a tenant and deletes it, for REST and gRPC alike: checks the input, stores
 * uploaded bytes in the blob store, records the owner of the media id, and publishes the
 * media.ingest.v1 event (claim-check URI or inline bytes) or the tombstone. Blocking: it waits for
 * Kafka's acknowledgement.
 */
@ApplicationScoped
public class MediaIngestion {
  private static final int MAX_TAGS = 64;
  private static final int MAX_TAG_LENGTH = 128;
  private static final Duration OWNERSHIP_CHECK_TIMEOUT = Duration.ofSeconds(15);

  private final IngestEvents publisher;
  private final StoredMedia stored;
  private final MediaRefs refs;
  private final MediaIndex index;
  private final GatewayConfig config;
  private final MeterRegistry meters;
  private final RequestRules rules;
  private final ClaimCheckUrls urls;

  MediaIngestion(
      IngestEvents publisher,
      StoredMedia stored,
      MediaRefs refs,
      MediaIndex index,
      GatewayConfig config,
      MeterRegistry meters,
      RequestRules rules,
      ClaimCheckUrls urls) {
    this.publisher = publisher;
    this.stored = stored;
    this.refs = refs;
    this.index = index;
    this.config = config;
    this.meters = meters;
    this.rules = rules;
    this.urls = urls;
  }

  /**
   * An uploaded image or audio file: checked by its bytes ({@link RequestRules#upload}), stored by
   * content hash, announced on the topic with the type its content shows.
   */
  public IngestAccepted ingestBytes(
      String tenant,
      byte[] bytes,
      String mediaId,
      List<String> tags,
      Map<String, String> metadata) {
    String mediaType = rules.upload(bytes);
    // The decoders' truncation rule, from the bytes alone (nothing is decoded at the door): refused
    // here rather than 202-accepted and dead-lettered by every worker. Images only: audio and
    // video are checked by their decoders (generator, encoder), which dead-letter truncated files
    // with the reason.
    String truncation =
        VideoTypes.isStillImage(mediaType) ? TruncatedEnd.of(bytes).orElse(null) : null;
    if (truncation != null && !config.upload().allowTruncated()) {
      throw RequestRefused.invalid(
          "image is truncated: "
              + truncation
              + " (gateway.upload.allow-truncated=false; the workers refuse it too)");
    }
    boolean inline = config.ingest().payload() == GatewayConfig.Payload.INLINE;
    long inlineMax = config.ingest().inlineMaxBytes().asLongValue();
    if (inline && bytes.length > inlineMax) {
      throw RequestRefused.tooLarge(bytes.length, inlineMax);
    }
    String given = mediaIdOr(mediaId, () -> null); // checked before anything is stored
    MediaRef ref =
        stored
            .storeUpload(bytes, hash -> uploadRef(tenant, given, hash, mediaType, truncation))
            .orElseThrow(() -> idTaken(tenant, given, MediaIds.sha256(bytes)));
    return publishUpload(ref, inline ? bytes : null, tags, metadata);
  }

  /**
   * An uploaded file (REST): an image as {@link #ingestBytes}; audio or video up to {@code
   * gateway.upload.audio-video-max-bytes}, copied into the blob store (hashed as it is copied,
   * never held in memory) and announced by claim check only. In inline mode they are held to {@code
   * gateway.ingest.inline-max-bytes}, since the event then carries them.
   */
  public IngestAccepted ingestFile(
      String tenant, Path file, String mediaId, List<String> tags, Map<String, String> metadata) {
    long size;
    byte[] head;
    try (InputStream in = Files.newInputStream(file)) {
      head = in.readNBytes(RequestRules.SNIFF_BYTES);
      size = Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the uploaded file", e);
    }
    String mediaType = rules.uploadedFile(head, size);
    boolean inline = config.ingest().payload() == GatewayConfig.Payload.INLINE;
    if (inline) {
      checkInlineSize(mediaType, size);
    }
    if (inline || VideoTypes.isStillImage(mediaType)) {
      // At most an image's size: read, checked and stored as bytes.
      return ingestBytes(tenant, readAll(file), mediaId, tags, metadata);
    }
    String given = mediaIdOr(mediaId, () -> null);
    String[] hashOf = new String[1];
    MediaRef ref =
        stored
            .storeUploadFile(
                file,
                hash -> {
                  hashOf[0] = hash;
                  return uploadRef(tenant, given, hash, mediaType, null);
                })
            .orElseThrow(() -> idTaken(tenant, given, hashOf[0]));
    return publishUpload(ref, null, tags, metadata);
  }

  /**
   * In inline mode the event (one Kafka record) carries the file: audio or video over the inline
   * limit is refused, saying that claim-check mode takes it. (An image keeps its own refusal.)
   */
  private void checkInlineSize(String mediaType, long size) {
    long inlineMax = config.ingest().inlineMaxBytes().asLongValue();
    if (size > inlineMax && !VideoTypes.isStillImage(mediaType)) {
      throw RequestRefused.tooLargeMedia(
          mediaType,
          size,
          inlineMax,
          "in inline mode (gateway.ingest.payload=inline: the event carries the bytes, and a"
              + " Kafka record holds "
              + inlineMax
              + " bytes of them); larger audio and video"
              + " need gateway.ingest.payload=claim-check");
    }
  }

  private MediaRef uploadRef(
      String tenant, String given, String hash, String mediaType, String truncation) {
    return new MediaRef(
        tenant,
        given != null ? given : defaultMediaId(tenant, hash),
        hash,
        null,
        mediaType,
        truncation);
  }

  private static RequestRefused idTaken(String tenant, String given, String hash) {
    return RequestRefused.idTaken(given != null ? given : defaultMediaId(tenant, hash));
  }

  /** The event of a stored upload: its claim check, or {@code inlineBytes} in the event. */
  private IngestAccepted publishUpload(
      MediaRef ref, byte[] inlineBytes, List<String> tags, Map<String, String> metadata) {
    String uri = inlineBytes != null ? null : urls.issue(ref.tenant(), ref.blob());
    IngestEvent event =
        new IngestEvent(
            UUID.randomUUID().toString(),
            config.ingest().source(),
            Instant.now(),
            ref.mediaId(),
            ref.tenant(),
            ref.contentType(),
            uri,
            inlineBytes,
            checkMetadata(metadata),
            checkTags(tags));
    return publish(event, "upload");
  }

  private static byte[] readAll(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the uploaded file", e);
    }
  }

  /** An image the workers fetch from its URL. */
  public IngestAccepted ingestUri(
      String tenant,
      String uriText,
      String mediaId,
      String contentType,
      List<String> tags,
      Map<String, String> metadata) {
    String uri = CallerUris.check(uriText);
    if (contentType != null
        && !contentType.isBlank()
        && !contentType.toLowerCase(Locale.ROOT).startsWith("image/")) {
      throw RequestRefused.invalid(
          "contentType must be an image/* media type, got '" + contentType + "'");
    }
    String type = contentType == null || contentType.isBlank() ? null : contentType;
    String id = mediaIdOr(mediaId, () -> defaultMediaId(tenant, MediaIds.sha256(uri)));
    claim(new MediaRef(tenant, id, null, uri, type));
    IngestEvent event =
        new IngestEvent(
            UUID.randomUUID().toString(),
            config.ingest().source(),
            Instant.now(),
            id,
            tenant,
            type,
            uri,
            null,
            checkMetadata(metadata),
            checkTags(tags));
    return publish(event, "uri");
  }

  /**
   * Deletes the tenant's item everywhere: a tombstone on media.ingest.v1 keyed by its id, then the
   * gateway's record of it and its uploaded bytes unless another item (of any tenant) is stored as
   * the same bytes. Only the owner may; an id of another tenant is a 404, exactly like an unknown
   * one.
   */
  public void delete(String tenant, String mediaId) {
    if (!MediaIds.isValid(mediaId)) {
      throw RequestRefused.invalid("mediaId must match " + MediaIds.VALID.pattern());
    }
    // Items ingested outside the gateway (e.g. straight onto Kafka) are known only to the index.
    if (refs.ownedByOther(tenant, mediaId)
        || !(refs.find(tenant, mediaId).isPresent()
            || index.holds(tenant, mediaId, OWNERSHIP_CHECK_TIMEOUT))) {
      throw RequestRefused.notFound(tenant, mediaId);
    }
    // The tombstone first: if it fails, nothing is forgotten and the caller may retry. A crash
    // after
    // it leaves the record and the bytes (a retried DELETE finishes the job); bytes are removed
    // only
    // after their last record, so another tenant's item never loses its blob (see StoredMedia).
    publisher.publishTombstone(tenant, mediaId);
    boolean hadRecord = stored.forget(tenant, mediaId);
    meters.counter("gateway.media.deleted").increment();
    Log.infof(
        "deleted media %s of tenant %s (tombstone published%s)",
        mediaId, tenant, hadRecord ? ", record and unshared bytes removed" : "");
  }

  /**
   * Default media ids: SHA-256 over the tenant and the content (or URL) hash, so a re-upload is the
   * same item within a tenant and two tenants' copies of one image never share a key.
   */
  public static String defaultMediaId(String tenant, String contentHash) {
    return MediaIds.sha256(tenant + ":" + contentHash);
  }

  private void claim(MediaRef ref) {
    if (!stored.claim(ref)) {
      throw RequestRefused.idTaken(ref.mediaId());
    }
  }

  private IngestAccepted publish(IngestEvent event, String kind) {
    publisher.publish(event);
    meters.counter("gateway.ingest.accepted", "kind", kind).increment();
    Log.infof(
        "accepted media %s of tenant %s (%s) as event %s",
        event.mediaId(),
        event.tenant(),
        event.inline() ? event.data().length + " bytes inline" : kind,
        event.eventId());
    return IngestAccepted.of(event.mediaId(), event.eventId());
  }

  private static String mediaIdOr(String given, java.util.function.Supplier<String> fallback) {
    if (given == null || given.isBlank()) {
      return fallback.get();
    }
    if (!MediaIds.isValid(given)) {
      throw RequestRefused.invalid("mediaId must match " + MediaIds.VALID.pattern());
    }
    return given;
  }

  static List<String> checkTags(List<String> tags) {
    if (tags == null) {
      return List.of();
    }
    if (tags.size() > MAX_TAGS) {
      throw RequestRefused.invalid("at most " + MAX_TAGS + " tags");
    }
    for (String tag : tags) {
      if (tag == null || tag.isBlank() || tag.length() > MAX_TAG_LENGTH) {
        throw RequestRefused.invalid(
            "tags must be non-blank and at most " + MAX_TAG_LENGTH + " characters");
      }
    }
    return tags;
  }

  private static Map<String, String> checkMetadata(Map<String, String> metadata) {
    if (metadata == null) {
      return Map.of();
    }
    if (metadata.values().stream().anyMatch(value -> value == null)) {
      throw RequestRefused.invalid("metadata values must not be null");
    }
    return metadata;
  }
}
