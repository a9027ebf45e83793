package multimodal.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Media ids: caller-chosen ones are checked, default ones are content hashes (so re-sends dedupe).
 */
public final class MediaIds {
  /** Same rule as the media.ingest.v1 schema ({@code data.mediaId}). */
  public static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private MediaIds() {}

  public static boolean isValid(String mediaId) {
    return mediaId != null && VALID.matcher(mediaId).matches();
  }

  /** Lower-case hex SHA-256 of the bytes. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  public static String sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }
}
