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

  private static final int PF_RGB = 0;
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
        byte[] rgb,
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
   * extraneous bytes): those are left to the Java path, which reports them as it always has.
   */
  RgbImage decode(byte[] jpeg, Header header) {
    Pointer handle = api.tjInitDecompress();
    if (handle == null) {
      return null;
    }
    try {
      byte[] rgb = new byte[Math.multiplyExact(header.width() * 3, header.height())];
      int status =
          api.tjDecompress2(
              handle,
              jpeg,
              new NativeLong(jpeg.length),
              rgb,
              header.width(),
              header.width() * 3,
              header.height(),
              PF_RGB,
              FLAG_ACCURATEDCT);
      return status == 0 ? new RgbImage(header.width(), header.height(), rgb) : null;
    } finally {
      api.tjDestroy(handle);
    }
  }
}
