package multimodal.media;

import java.lang.System.Logger.Level;
import java.util.Optional;

/**
 * The fast decoders: JPEG and WebP through libjpeg-turbo and libwebp, the libraries Pillow uses, so
 * the pixels are Pillow's by construction, and the common PNGs through {@link PngRgb} (inflated by
 * libdeflate where it is installed); several times faster than the ImageIO readers. A YCbCr, grey,
 * CMYK or YCCK JPEG (CMYK converted with Pillow's formula) and a still WebP come this way.
 * Everything else returns null and goes the ImageIO way, unchanged: RGB JPEGs, truncated or damaged
 * files and any file the library warns about (so refusals keep their texts), animations, and every
 * other format.
 *
 * <p>A library that cannot be loaded leaves its format to ImageIO; the one log line at first use
 * says which decoder runs ({@link #describe()}).
 */
final class NativeCodecs {
  private static final System.Logger LOG = System.getLogger(NativeCodecs.class.getName());
  private static final byte[] RIFF = {'R', 'I', 'F', 'F'};
  private static final byte[] WEBP = {'W', 'E', 'B', 'P'};

  /** Loaded once per JVM; a missing library is null here and logged. */
  private static final class Loaded {
    static final TurboJpeg JPEG = loadJpeg();
    static final LibWebp WEBP = loadWebp();
    static final LibDeflate DEFLATE = loadDeflate();

    static {
      LOG.log(Level.INFO, "image decoding: " + describe(JPEG, WEBP, DEFLATE));
    }
  }

  private NativeCodecs() {}

  /** Which decoder each format goes through in this JVM. */
  static String describe() {
    return describe(Loaded.JPEG, Loaded.WEBP, Loaded.DEFLATE);
  }

  private static String describe(TurboJpeg jpeg, LibWebp webp, LibDeflate deflate) {
    return "JPEG through "
        + (jpeg != null ? "libjpeg-turbo (" + jpeg.library() + ")" : "ImageIO (no libjpeg-turbo)")
        + ", WebP through "
        + (webp != null ? "libwebp " + webp.version() : "ImageIO (no libwebp)")
        + ", common PNGs directly (inflated by "
        + (deflate != null ? "libdeflate" : "the JDK's zlib, no libdeflate")
        + "); damaged and other images through ImageIO";
  }

  /**
   * The decoded image, or null when the ImageIO path must decode (or refuse) it.
   *
   * @throws InvalidImageException when the header declares more pixels than the limit
   */
  static ImageDecoder.Decoded read(byte[] bytes, String field, ImageLimits limits) {
    return read(bytes, field, limits, 0);
  }

  /**
   * As {@link #read(byte[], String, ImageLimits)}; a JPEG whose short side is at least twice {@code
   * minShortSide} (when positive) is decoded at 1/2, 1/4 or 1/8 of its size by libjpeg-turbo's DCT
   * scaling, the smallest that keeps the short side at {@code minShortSide} or more.
   */
  static ImageDecoder.Decoded read(
      byte[] bytes, String field, ImageLimits limits, int minShortSide) {
    RgbImage stored;
    String format;
    if (PngRgb.isPng(bytes)) {
      stored = PngRgb.decode(bytes, field, limits, Loaded.DEFLATE);
      format = "png";
    } else if (isJpeg(bytes)) {
      stored = jpeg(bytes, field, limits, minShortSide);
      format = "jpeg";
    } else if (isWebp(bytes)) {
      stored = webp(bytes, field, limits);
      format = "webp";
    } else {
      return null;
    }
    if (stored == null) {
      return null;
    }
    int orientation = ExifOrientation.of(format, bytes);
    return new ImageDecoder.Decoded(ExifOrientation.apply(stored, orientation), Optional.empty());
  }

  private static RgbImage jpeg(byte[] bytes, String field, ImageLimits limits, int minShortSide) {
    TurboJpeg turbo = Loaded.JPEG;
    // A cut JPEG goes the Java way, which refuses it or fills it as the policy says.
    if (turbo == null || TruncatedEnd.of(bytes).isPresent()) {
      return null;
    }
    TurboJpeg.Header header = turbo.header(bytes);
    if (header == null || header.colourspace() == TurboJpeg.CS_RGB) {
      return null;
    }
    ImageDecoder.checkPixels(limits, field, header.width(), header.height());
    int divisor = 1;
    int shortSide = Math.min(header.width(), header.height());
    while (minShortSide > 0 && divisor < 8 && shortSide / (divisor * 2) >= minShortSide) {
      divisor *= 2;
    }
    return turbo.decode(bytes, header, divisor);
  }

  private static RgbImage webp(byte[] bytes, String field, ImageLimits limits) {
    LibWebp webp = Loaded.WEBP;
    int[] size = webp == null ? null : webp.size(bytes);
    if (size == null) {
      return null;
    }
    ImageDecoder.checkPixels(limits, field, size[0], size[1]);
    return webp.decode(bytes, size[0], size[1]);
  }

  private static boolean isJpeg(byte[] b) {
    return b.length > 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff;
  }

  private static boolean isWebp(byte[] b) {
    return b.length > 12 && startsAt(b, 0, RIFF) && startsAt(b, 8, WEBP);
  }

  private static boolean startsAt(byte[] bytes, int offset, byte[] prefix) {
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[offset + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static TurboJpeg loadJpeg() {
    try {
      return TurboJpeg.load();
    } catch (LinkageError e) { // UnsatisfiedLinkError: not installed; NoClassDefFoundError: no JNA
      LOG.log(
          Level.WARNING,
          "libjpeg-turbo not loaded, JPEG decodes through ImageIO: " + e.getMessage());
      return null;
    }
  }

  private static LibDeflate loadDeflate() {
    try {
      return LibDeflate.load();
    } catch (LinkageError e) {
      LOG.log(
          Level.WARNING, "libdeflate not loaded, PNGs inflate through the JDK: " + e.getMessage());
      return null;
    }
  }

  private static LibWebp loadWebp() {
    try {
      return LibWebp.load();
    } catch (LinkageError e) {
      LOG.log(Level.WARNING, "libwebp not loaded, WebP decodes through ImageIO: " + e.getMessage());
      return null;
    }
  }
}
