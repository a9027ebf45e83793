package multimodal.gateway.auth;

import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import multimodal.gateway.MediaIds;
import multimodal.gateway.config.GatewayConfig;
import multimodal.v1.TenantId;

/**
 * The API keys the gateway accepts, each bound to one tenant. Only SHA-256 digests are held: keys
 * are long random secrets, so a fast digest is enough (a password hash would only slow every
 * request down); a leaked config or secret file does not reveal a usable key.
 */
@ApplicationScoped
@Startup // a malformed key configuration stops the start, not the first request
public class ApiKeyRegistry {
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  private final Map<String, Caller> byDigest;

  /** One bucket per key for REST and gRPC together. */
  private final RateLimiter limiter = new RateLimiter(System::nanoTime);

  private final double defaultRate;
  private final int defaultBurst;

  @Inject
  ApiKeyRegistry(GatewayConfig config) {
    this(
        config.auth().keys(),
        config.auth().keysFile(),
        config.auth().rateLimitPerSecond(),
        config.auth().rateLimitBurst());
  }

  public ApiKeyRegistry(
      Map<String, GatewayConfig.Key> keys,
      Optional<Path> keysFile,
      double defaultRate,
      int defaultBurst) {
    this.defaultRate = defaultRate;
    this.defaultBurst = defaultBurst;
    Map<String, Caller> digests = new HashMap<>();
    keys.forEach(
        (name, key) ->
            add(
                digests,
                key.sha256(),
                key.tenant(),
                name,
                "gateway.auth.keys." + name,
                key.rateLimitPerSecond().orElse(defaultRate),
                key.rateLimitBurst().orElse(defaultBurst)));
    keysFile.ifPresent(file -> readFile(digests, file));
    this.byDigest = Map.copyOf(digests);
    if (byDigest.isEmpty()) {
      Log.warn(
          "no API keys configured (gateway.auth.keys / gateway.auth.keys-file): every /v1 request"
              + " gets 401");
    } else {
      Log.infof(
          "%d API key(s) for %d tenant(s)",
          byDigest.size(), byDigest.values().stream().map(Caller::tenant).distinct().count());
    }
  }

  /** The caller a presented key stands for, or empty when the key is unknown. */
  public Optional<Caller> authenticate(String presentedKey) {
    if (presentedKey == null || presentedKey.isBlank()) {
      return Optional.empty();
    }
    String digest = digest(presentedKey);
    Caller caller = byDigest.get(digest);
    // The map lookup already matched; compare again in constant time so timing says nothing.
    if (caller == null
        || !MessageDigest.isEqual(
            digest.getBytes(StandardCharsets.US_ASCII),
            caller.keyDigest().getBytes(StandardCharsets.US_ASCII))) {
      return Optional.empty();
    }
    return Optional.of(caller);
  }

  /** Takes one request from the caller's rate limit: 0 when allowed, else seconds to wait. */
  public long acquire(Caller caller) {
    return limiter.acquire(caller.keyDigest(), caller.ratePerSecond(), caller.burst());
  }

  /**
   * Hex SHA-256 of a key, as it goes into configuration (same as {@code printf %s KEY |
   * sha256sum}).
   */
  public static String digest(String key) {
    return MediaIds.sha256(key.strip());
  }

  private static void add(
      Map<String, Caller> digests,
      String sha256,
      String tenant,
      String name,
      String where,
      double rate,
      int burst) {
    String digest = sha256 == null ? "" : sha256.strip().toLowerCase(Locale.ROOT);
    if (!SHA256_HEX.matcher(digest).matches()) {
      throw new IllegalStateException(
          where + ": sha256 must be 64 hex digits (the digest, not the key)");
    }
    if (!TenantId.isValid(tenant)) {
      // Fail the start: a key whose tenant the ingest contract refuses would get 202s whose events
      // every consumer dead-letters.
      throw new IllegalStateException(
          where
              + " (key '"
              + name
              + "'): tenant "
              + TenantId.message(tenant)
              + "; rename the tenant (the ingest contract and every consumer refuse other names)");
    }
    if (rate <= 0 || burst < 1) {
      throw new IllegalStateException(
          where + ": rate limit must be > 0 per second with a burst >= 1");
    }
    Caller previous = digests.put(digest, new Caller(tenant, name, digest, rate, burst));
    if (previous != null && !previous.tenant().equals(tenant)) {
      throw new IllegalStateException(where + ": the same key is bound to two tenants");
    }
  }

  private void readFile(Map<String, Caller> digests, Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read gateway.auth.keys-file " + file, e);
    }
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] fields = line.split("\\s+");
      if (fields.length < 2) {
        throw new IllegalStateException(
            file + ":" + (i + 1) + ": expected '<sha256> <tenant> [name]'");
      }
      String name = fields.length > 2 ? fields[2] : "file-line-" + (i + 1);
      add(digests, fields[0], fields[1], name, file + ":" + (i + 1), defaultRate, defaultBurst);
    }
  }
}
