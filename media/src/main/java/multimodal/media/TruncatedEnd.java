package multimodal.media;

import java.util.Optional;

/**
 * Whether encoded image bytes stop before their format's end marker, read from the bytes alone (no
 * pixels decoded), so the gateway can apply the decoder's truncation rule to an upload at the door.
 * JPEG: no end-of-image marker (FFD9) after the last start-of-scan (FFDA; an EXIF thumbnail's
 * markers come before it, and the entropy-coded data cannot contain FFD9 or FFDA, as every FF there
 * is stuffed). PNG: no IEND chunk.
 */
public final class TruncatedEnd {
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G'};
  private static final byte[] PNG_END = {'I', 'E', 'N', 'D'};

  private TruncatedEnd() {}

  /**
   * Why the bytes count as truncated, or empty (also for other formats and for bytes too broken to
   * tell).
   */
  public static Optional<String> of(byte[] bytes) {
    if (bytes.length > 3 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xd8) {
      int lastScan = lastMarker(bytes, 0xda, bytes.length);
      if (lastScan >= 0 && lastMarker(bytes, 0xd9, bytes.length) < lastScan) {
        return Optional.of(
            "the JPEG data ends before its end-of-image marker; the missing part would be filled");
      }
    } else if (startsWith(bytes, PNG_SIGNATURE) && lastIndexOf(bytes, PNG_END) < 0) {
      return Optional.of("the PNG has no IEND chunk; the missing part would be filled");
    }
    return Optional.empty();
  }

  private static int lastMarker(byte[] bytes, int marker, int before) {
    for (int i = before - 2; i >= 0; i--) {
      if ((bytes[i] & 0xff) == 0xff && (bytes[i + 1] & 0xff) == marker) {
        return i;
      }
    }
    return -1;
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    if (bytes.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static int lastIndexOf(byte[] bytes, byte[] needle) {
    outer:
    for (int i = bytes.length - needle.length; i >= 0; i--) {
      for (int j = 0; j < needle.length; j++) {
        if (bytes[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
