package multimodal.media;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Test reference for {@link ImageDecoder}'s colours: removes embedded ICC profiles (APP2 {@code
 * ICC_PROFILE} segments) from a JPEG before decoding. The JDK's JPEG reader converts pixels through
 * an embedded profile, while TensorFlow's and TF.js's decoders, Pillow (the encoder's reference)
 * and libjpeg keep the plain YCbCr to RGB conversion; the vision models were trained on, and
 * checked against, the latter. On rocket.jpg the profile made every value 4 levels darker on
 * average. The decoder converts YCbCr itself and so never applies the profile; a JPEG stripped here
 * must decode to the same pixels.
 */
final class JpegProfiles {
  private static final byte[] ICC = "ICC_PROFILE\0".getBytes(StandardCharsets.US_ASCII);

  private JpegProfiles() {}

  /**
   * The JPEG without its ICC profile segments; other input (or a malformed header) comes back
   * unchanged.
   */
  static byte[] strip(byte[] jpeg) {
    if (jpeg.length < 4 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != 0xD8) {
      return jpeg;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length);
    out.write(jpeg, 0, 2);
    int at = 2;
    boolean stripped = false;
    // Header segments up to the start of scan: FF xx, then a big-endian length that counts itself.
    while (at + 4 <= jpeg.length && (jpeg[at] & 0xFF) == 0xFF) {
      int marker = jpeg[at + 1] & 0xFF;
      if (marker == 0xDA) {
        break;
      }
      int length = ((jpeg[at + 2] & 0xFF) << 8) | (jpeg[at + 3] & 0xFF);
      if (length < 2 || at + 2 + length > jpeg.length) {
        return jpeg;
      }
      if (marker == 0xE2 && startsWith(jpeg, at + 4, ICC)) {
        stripped = true;
      } else {
        out.write(jpeg, at, 2 + length);
      }
      at += 2 + length;
    }
    if (!stripped) {
      return jpeg;
    }
    out.write(jpeg, at, jpeg.length - at);
    return out.toByteArray();
  }

  private static boolean startsWith(byte[] bytes, int offset, byte[] prefix) {
    if (offset + prefix.length > bytes.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[offset + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
