package multimodal.media;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/**
 * libwebp's simple decoding API, the WebP codec Pillow decodes with, bound through JNA. Its default
 * options are Pillow's (fancy chroma upsampling, non-premultiplied colour), so a still WebP comes
 * out as Pillow's {@code convert("RGB")} gives it.
 */
final class LibWebp {
  /**
   * The C functions used, as declared in webp/decode.h; {@code size_t} is {@link NativeLong} (an
   * unsigned long on Linux, the only platform the services run on).
   */
  interface Api extends Library {
    int WebPGetDecoderVersion();

    int WebPGetInfo(byte[] data, NativeLong size, IntByReference width, IntByReference height);

    Pointer WebPDecodeRGBInto(
        byte[] data, NativeLong size, Pointer rgb, NativeLong rgbSize, int stride);
  }

  private final Api api;
  private final String version;

  private LibWebp(Api api) {
    this.api = api;
    int v = api.WebPGetDecoderVersion();
    this.version = (v >> 16) + "." + ((v >> 8) & 0xff) + "." + (v & 0xff);
  }

  static LibWebp load() {
    return new LibWebp(Native.load("libwebp.so.7", Api.class));
  }

  String version() {
    return version;
  }

  /** {@code {width, height}} from the bitstream's header, or null where libwebp cannot read it. */
  int[] size(byte[] webp) {
    IntByReference width = new IntByReference();
    IntByReference height = new IntByReference();
    return api.WebPGetInfo(webp, new NativeLong(webp.length), width, height) != 0
        ? new int[] {width.getValue(), height.getValue()}
        : null;
  }

  /**
   * The first (only) frame as RGB, alpha dropped, or null where libwebp refuses it (an animation, a
   * damaged or cut file): the Java path then decodes or refuses it as it always has.
   */
  RgbImage decode(byte[] webp, int width, int height) {
    int size = Math.multiplyExact(width * 3, height);
    try (NativeOutput rgb = NativeOutput.acquire(size)) {
      Pointer out =
          api.WebPDecodeRGBInto(
              webp, new NativeLong(webp.length), rgb.pointer(), new NativeLong(size), width * 3);
      return out != null ? new RgbImage(width, height, rgb.read(size)) : null;
    }
  }
}
