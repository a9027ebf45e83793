package multimodal.media;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/**
 * libjpeg-turbo's TurboJPEG API, the JPEG codec Pillow decodes with, bound through JNA: the header
 * (size, colour space) and a decode to 8-bit RGB with libjpeg's defaults as Pillow uses them (the
 * accurate integer IDCT, fancy upsampling, libjpeg's YCbCr tables), so the pixels are Pillow's by
 * construction.
 */
final class TurboJpeg {
  static final int CS_RGB = 0;
  static final int CS_YCBCR = 1;
  static final int CS_GRAY = 2;
  static final int CS_CMYK = 3;
  static final int CS_YCCK = 4;

  private static final int PF_RGB = 0;
  private static final int PF_CMYK = 11;
  // Pillow leaves libjpeg's dct_method at JDCT_ISLOW and do_fancy_upsampling on; ask for both
  // explicitly rather than rely on TurboJPEG's own default.
  private static final int FLAG_ACCURATEDCT = 4096;

  /** The C functions used, as declared in turbojpeg.h (2.x). */
  interface Api extends Library {
    Pointer tjInitDecompress();

    int tjDecompressHeader3(
        Pointer handle,
        byte[] jpeg,
        NativeLong size,
        IntByReference width,
        IntByReference height,
        IntByReference subsampling,
        IntByReference colourspace);

    int tjDecompress2(
        Pointer handle,
        byte[] jpeg,
        NativeLong size,
        Pointer pixels,
        int width,
        int pitch,
        int height,
        int pixelFormat,
        int flags);

    int tjDestroy(Pointer handle);
  }

  /** What the header says. */
  record Header(int width, int height, int colourspace) {}

  private final Api api;
  private final String library;

  private TurboJpeg(Api api, String library) {
    this.api = api;
    this.library = library;
  }

  /** The library under its Debian soname (the runtime package has no unversioned link). */
  static TurboJpeg load() {
    return new TurboJpeg(Native.load("libturbojpeg.so.0", Api.class), "libturbojpeg.so.0");
  }

  String library() {
    return library;
  }

  /** The header, or null where libjpeg-turbo cannot read it (the Java reader then says why). */
  Header header(byte[] jpeg) {
    Pointer handle = api.tjInitDecompress();
    if (handle == null) {
      return null;
    }
    try {
      IntByReference width = new IntByReference();
      IntByReference height = new IntByReference();
      IntByReference subsampling = new IntByReference();
      IntByReference colourspace = new IntByReference();
      int status =
          api.tjDecompressHeader3(
              handle, jpeg, new NativeLong(jpeg.length), width, height, subsampling, colourspace);
      return status == 0
          ? new Header(width.getValue(), height.getValue(), colourspace.getValue())
          : null;
    } finally {
      api.tjDestroy(handle);
    }
  }

  /**
   * The stored pixels as RGB, or null on any error or warning (a premature end, corrupt data,
   * extraneous bytes): those are left to the Java path, which reports them as it always has. A CMYK
   * or YCCK JPEG is decoded to CMYK by libjpeg-turbo and converted as Pillow converts it ({@link
   * #pillowCmykToRgb}).
   */
  RgbImage decode(byte[] jpeg, Header header) {
    return decode(jpeg, header, 1);
  }

  /**
   * As {@link #decode(byte[], Header)}, at {@code 1/divisor} of the size (1, 2, 4 or 8; rounded
   * up), scaled by libjpeg-turbo in the DCT domain: much faster for a large image, but no longer
   * Pillow's values (the inverse DCT is computed at the smaller size).
   */
  RgbImage decode(byte[] jpeg, Header header, int divisor) {
    int width = (header.width() + divisor - 1) / divisor;
    int height = (header.height() + divisor - 1) / divisor;
    boolean cmyk = header.colourspace() == CS_CMYK || header.colourspace() == CS_YCCK;
    byte[] pixels = decode(jpeg, width, height, cmyk ? PF_CMYK : PF_RGB, cmyk ? 4 : 3);
    if (pixels == null) {
      return null;
    }
    return new RgbImage(width, height, cmyk ? pillowCmykToRgb(pixels) : pixels);
  }

  /** TurboJPEG picks the scaling factor whose output is {@code width × height}. */
  private byte[] decode(byte[] jpeg, int width, int height, int pixelFormat, int pixelSize) {
    Pointer handle = api.tjInitDecompress();
    if (handle == null) {
      return null;
    }
    int size = Math.multiplyExact(width * pixelSize, height);
    try (NativeOutput pixels = NativeOutput.acquire(size)) {
      int status =
          api.tjDecompress2(
              handle,
              jpeg,
              new NativeLong(jpeg.length),
              pixels.pointer(),
              width,
              width * pixelSize,
              height,
              pixelFormat,
              FLAG_ACCURATEDCT);
      return status == 0 ? pixels.read(size) : null;
    } finally {
      api.tjDestroy(handle);
    }
  }

  /**
   * Pillow's reading of a CMYK JPEG: the samples taken as Adobe-inverted ({@code CMYK;I}, which
   * Pillow assumes for every CMYK JPEG), then its {@code cmyk2rgb}: {@code 255 - k' - c' * (255 -
   * k') / 255} per channel with its rounding division ({@code MULDIV255}), where {@code c' = 255 -
   * stored}.
   */
  static byte[] pillowCmykToRgb(byte[] cmyk) {
    byte[] rgb = new byte[cmyk.length / 4 * 3];
    for (int i = 0, o = 0; i < cmyk.length; i += 4, o += 3) {
      int nk = cmyk[i + 3] & 0xff; // 255 - k', with k' = 255 - stored
      rgb[o] = clip8(nk - mulDiv255(255 - (cmyk[i] & 0xff), nk));
      rgb[o + 1] = clip8(nk - mulDiv255(255 - (cmyk[i + 1] & 0xff), nk));
      rgb[o + 2] = clip8(nk - mulDiv255(255 - (cmyk[i + 2] & 0xff), nk));
    }
    return rgb;
  }

  private static int mulDiv255(int a, int b) {
    int tmp = a * b + 128;
    return ((tmp >> 8) + tmp) >> 8;
  }

  private static byte clip8(int v) {
    return (byte) (v < 0 ? 0 : Math.min(v, 255));
  }
}
