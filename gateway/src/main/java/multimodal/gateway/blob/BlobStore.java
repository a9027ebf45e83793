package multimodal.gateway.blob;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Where uploaded bytes live (claim-check): content-addressed by lower-case hex SHA-256, so the same
 * bytes are stored once however often they are uploaded. Local directory by default; an object
 * store plugs in by implementing this interface.
 */
public interface BlobStore {
  /** Stores the bytes (a no-op when they are already there) and returns their SHA-256. */
  String put(byte[] bytes);

  /**
   * Stores the file's bytes (a large upload), hashing them while they are copied, never holding
   * them in memory; returns their SHA-256. The file itself is left where it is.
   */
  String put(Path file);

  /** The bytes stored under the hash, or empty. */
  Optional<byte[]> get(String sha256);

  /**
   * The bytes stored under the hash as a stream, with their size, or empty: for serving large blobs
   * without reading them into memory. The caller closes the stream.
   */
  Optional<Opened> open(String sha256);

  /** A stored blob being read. */
  record Opened(InputStream stream, long size) {}

  boolean exists(String sha256);

  /** Removes the bytes; false when there were none. Callers check that nothing references them. */
  boolean delete(String sha256);

  /**
   * Every stored address with when it was last stored (a re-upload of the same bytes renews it).
   */
  Map<String, Instant> list();

  /** True for a well-formed address (64 lower-case hex digits). */
  static boolean isAddress(String value) {
    return value != null && value.matches("[0-9a-f]{64}");
  }
}
