package multimodal.gateway;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Image formats the platform accepts, recognised by their magic bytes. The caller's declared
 * content type is not trusted: it is often wrong (or {@code application/octet-stream}).
 */
public enum ImageFormat {
  JPEG("image/jpeg"),
  PNG("image/png"),
  GIF("image/gif"),
  BMP("image/bmp"),
  WEBP("image/webp"),
  TIFF("image/tiff");

  private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  private final String mediaType;

  ImageFormat(String mediaType) {
    this.mediaType = mediaType;
  }

  public String mediaType() {
    return mediaType;
  }

  /** The format whose signature starts {@code bytes}, or empty when it is none of ours. */
  public static Optional<ImageFormat> sniff(byte[] bytes) {
    if (startsWith(bytes, 0, new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff})) {
      return Optional.of(JPEG);
    }
    if (startsWith(bytes, 0, PNG_MAGIC)) {
      return Optional.of(PNG);
    }
    if (startsWith(bytes, 0, ascii("GIF87a")) || startsWith(bytes, 0, ascii("GIF89a"))) {
      return Optional.of(GIF);
    }
    if (startsWith(bytes, 0, ascii("RIFF")) && startsWith(bytes, 8, ascii("WEBP"))) {
      return Optional.of(WEBP);
    }
    if (startsWith(bytes, 0, new byte[] {'I', 'I', 42, 0})
        || startsWith(bytes, 0, new byte[] {'M', 'M', 0, 42})) {
      return Optional.of(TIFF);
    }
    // "BM" alone is weak; also require a size field and the reserved zeros of a BITMAPFILEHEADER.
    if (bytes.length >= 14
        && startsWith(bytes, 0, ascii("BM"))
        && bytes[6] == 0
        && bytes[7] == 0
        && bytes[8] == 0
        && bytes[9] == 0) {
      return Optional.of(BMP);
    }
    return Optional.empty();
  }

  private static boolean startsWith(byte[] bytes, int offset, byte[] prefix) {
    if (bytes.length < offset + prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[offset + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
