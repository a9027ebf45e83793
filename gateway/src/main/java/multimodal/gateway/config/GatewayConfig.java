package multimodal.gateway.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import multimodal.v1.Limits;

/**
 * Gateway knobs. Every key is {@code gateway.*}; env vars follow Quarkus' mapping
 * (GATEWAY_UPLOAD_MAX_BYTES).
 */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

  Upload upload();

  Ingest ingest();

  Retrieval retrieval();

  Generator generator();

  Auth auth();

  Blobs blobs();

  SafeSearch safeSearch();

  interface Upload {
    /**
     * Largest accepted image; the platform's limit ({@link Limits#IMAGE_MAX_BYTES}, 16 MiB) by
     * default, so every worker can read what the gateway accepts. Keep {@code
     * quarkus.http.limits.max-body-size} above it (multipart overhead).
     */
    @WithDefault(Limits.IMAGE_MAX_BYTES_TEXT)
    MemorySize maxBytes();

    /**
     * Largest accepted audio or video file ({@code POST /v1/media} over REST): the platform's limit
     * ({@link Limits#AUDIO_VIDEO_MAX_BYTES}, 512 MiB) by default, the workers' {@code
     * video.max-bytes} and {@code speech.max-bytes}. Such a file is streamed to the blob store and
     * travels only as a claim check; inline mode and gRPC hold it to the image limits. Keep {@code
     * quarkus.http.limits.max-body-size} above it (multipart overhead).
     */
    @WithDefault(Limits.AUDIO_VIDEO_MAX_BYTES_TEXT)
    MemorySize audioVideoMaxBytes();

    /**
     * Largest request body on every route but {@code POST /v1/media} (the only one that takes audio
     * and video): JSON and image bodies are read into memory, so they keep the small limit although
     * {@code quarkus.http.limits.max-body-size} admits a large video. A body without a declared
     * length (chunked) is refused on those routes (411), unless it is multipart (file parts go to
     * disk, and the resources check their size).
     */
    @WithDefault("32M")
    MemorySize maxRequestBytes();

    /**
     * Largest width × height the gateway decodes (thumbnails); the workers' {@code
     * images.max-pixels} default, so a decompression bomb is refused here as it is there.
     */
    @WithDefault(Limits.IMAGE_MAX_PIXELS_TEXT)
    long maxPixels();

    /**
     * Accept an upload whose data ends before its end marker (a truncated JPEG or PNG) instead of
     * refusing it with 400; the item's status then says so ({@code imageTruncated}). Keep it equal
     * to the workers' {@code images.allow-truncated}, or they dead-letter what the gateway
     * accepted.
     */
    @WithDefault("false")
    boolean allowTruncated();

    /** Most items in one batch ingest request. */
    @WithDefault("100")
    int maxBatch();

    /**
     * Longest time a client may take to send a whole request body (REST). A client that trickles
     * its body (slow loris) gets 408 and its connection closed when this passes, instead of holding
     * a connection and its buffers for as long as it keeps sending a byte now and then. 120 s lets
     * a 16 MiB upload through at about 1.1 Mbit/s.
     */
    @WithDefault("120s")
    Duration bodyTimeout();

    /**
     * The slowest pace (bytes per second) a large upload may arrive at: {@code POST /v1/media} may
     * take longer than {@link #bodyTimeout} while its body keeps arriving at this rate on average
     * after it. 600K (4.8 Mbit/s) lets a 512 MiB video through in about 15 minutes; a client that
     * trickles is cut off soon after {@code body-timeout}, whatever length it declared.
     */
    @WithDefault("600K")
    MemorySize minBodyRate();
  }

  interface Ingest {
    /** CloudEvents {@code source} of the events the gateway publishes. */
    @WithDefault("/gateway")
    String source();

    /** How long an ingest request waits for Kafka's acknowledgement before answering 503. */
    @WithDefault("30s")
    Duration publishTimeout();

    /**
     * How uploaded bytes travel to the workers: {@code claim-check} (the event carries a signed
     * {@code <blobs.base-url>/internal/blobs/<sha256>?...} URL, see {@code blobs.signing-key}) or
     * {@code inline} (base64 in the event; the fallback where workers cannot reach the gateway).
     * Uploads are stored in the blob store either way.
     */
    @WithDefault("claim-check")
    Payload payload();

    /**
     * Largest image carried inline (inline mode); the producer's max.request.size must exceed 4/3
     * of it.
     */
    @WithDefault(Limits.IMAGE_MAX_BYTES_TEXT)
    MemorySize inlineMaxBytes();
  }

  enum Payload {
    CLAIM_CHECK,
    INLINE
  }

  interface Retrieval {
    /**
     * Deadline of each call to retrieval-service (set per call: a stub-level deadline would be
     * absolute).
     */
    @WithDefault("10s")
    Duration timeout();
  }

  interface Generator {
    /** Deadline of each unary call to generator-service. */
    @WithDefault("60s")
    Duration timeout();

    /** Deadline of one streamed answer (Ask). */
    @WithDefault("120s")
    Duration askTimeout();

    /** Deadline of one text-to-image generation (Generate), re-ranking not included. */
    @WithDefault("300s")
    Duration generateTimeout();

    /**
     * Generate calls each tenant may start per minute on average (token bucket refill), apart from
     * and on top of its key's request rate: one call is many seconds of a generator's CPU or GPU.
     */
    @WithDefault("30")
    double generatePerMinute();

    /** Generate calls a tenant may start at once (token bucket size). */
    @WithDefault("4")
    int generateBurst();
  }

  interface Auth {
    /**
     * API keys by name: {@code gateway.auth.keys.<name>.sha256} (hex SHA-256 of the key, never the
     * key itself) and {@code gateway.auth.keys.<name>.tenant}.
     */
    Map<String, Key> keys();

    /**
     * A secret file with more keys, one per line: {@code <hex sha256> <tenant> [name]}; '#' starts
     * a comment. Mount it from a Kubernetes secret.
     */
    Optional<Path> keysFile();

    /** Requests per second each key may make on average (token bucket refill rate). */
    @WithDefault("20")
    double rateLimitPerSecond();

    /** Requests a key may make in a burst (token bucket size). */
    @WithDefault("40")
    int rateLimitBurst();
  }

  interface Key {
    /** Lower-case hex SHA-256 of the API key. */
    String sha256();

    /** The tenant every request made with this key acts for. */
    String tenant();

    /** This key's own rate (default gateway.auth.rate-limit-per-second). */
    Optional<Double> rateLimitPerSecond();

    /** This key's own burst (default gateway.auth.rate-limit-burst). */
    Optional<Integer> rateLimitBurst();
  }

  interface Blobs {
    /** Directory of the local blob store (content-addressed files) and of the media references. */
    @WithDefault("data/blobs")
    Path dir();

    /**
     * Secret key (at least 32 bytes; from a secret) of the HMAC-SHA256 that signs the claim-check
     * URLs in ingest events ({@code /internal/blobs/<sha256>?tenant=..&expires=..&sig=..}).
     * Required in claim-check mode; without it the internal route answers every read with 404.
     */
    Optional<String> signingKey();

    /**
     * How long a signed claim-check URL stays readable. An event waiting in a Kafka backlog longer
     * than this is dead-lettered by the workers (404), so keep it above the longest backlog you
     * accept; a leaked URL (it names one blob of one tenant) is readable that long.
     */
    @WithDefault("7d")
    Duration urlTtl();

    /** How the workers reach this gateway; prefix of the claim-check URIs in ingest events. */
    @WithDefault("http://127.0.0.1:8080")
    String baseUrl();

    /**
     * Unreferenced blobs older than this are removed by the sweep at start (what a crash between a
     * delete's record removal and its byte removal leaves behind). Longer than any upload takes
     * between storing its bytes and recording its item, in any replica sharing the directory.
     */
    @WithDefault("1h")
    Duration sweepGrace();

    /** Longest side of thumbnails served to the web UI. */
    @WithDefault("256")
    int thumbnailSize();
  }

  interface SafeSearch {
    /** Safe search for tenants without their own setting: on unless a request opts out. */
    @WithName("default")
    @WithDefault("true")
    boolean defaultOn();

    /**
     * Items whose unsafe score (hentai + porn + sexy) is above this are filtered out; sent on every
     * safe search so the filter and the web UI's blur agree. In (0, 1].
     */
    @WithDefault("0.5")
    float unsafeThreshold();

    /** Per-tenant default: {@code gateway.safe-search.tenants.<tenant>=false} (or true). */
    Map<String, Boolean> tenants();
  }
}
