package multimodal.media;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The common PNGs (8 bits per sample, not interlaced: grey, RGB, palette, grey + alpha, RGBA) to
 * stored RGB values, straight from the chunks: zlib through the JDK's {@link Inflater}, the five
 * row filters, then grey replicated, the palette looked up and alpha dropped, as Pillow's {@code
 * convert("RGB")} does. Written by hand because the JDK's reader spent as long building its raster
 * as inflating, and the conversion to RGB through that raster took as long again (a third of
 * preprocessing's time on the shared photographs); PNG is lossless, so any correct decoder gives
 * these values, and {@code PillowGoldenTest} holds them to Pillow's.
 *
 * <p>An embedded ICC profile is ignored, as the JDK's reader and Pillow's {@code convert("RGB")}
 * ignore it (astronaut.png and chelsea.png carry one). Anything else returns null and goes to the
 * JDK's reader, as before: other bit depths, interlacing, a missing IEND (truncation), a damaged
 * stream or a palette index out of range.
 */
final class PngRgb {
  private static final long SIGNATURE = 0x89504e470d0a1a0aL;
  private static final int IHDR = 0x49484452;
  private static final int PLTE = 0x504c5445;
  private static final int IDAT = 0x49444154;
  private static final int IEND = 0x49454e44;

  private PngRgb() {}

  static boolean isPng(byte[] b) {
    return b.length >= 8 && readLong(b, 0) == SIGNATURE;
  }

  /**
   * @throws InvalidImageException when IHDR declares more pixels than the limit
   */
  static RgbImage decode(byte[] png, String field, ImageLimits limits) {
    if (!isPng(png) || png.length < 33 || readInt(png, 12) != IHDR) {
      return null;
    }
    long width = readInt(png, 16) & 0xffffffffL;
    long height = readInt(png, 20) & 0xffffffffL;
    int depth = png[24];
    int colourType = png[25];
    int interlace = png[28];
    int channels =
        switch (colourType) {
          case 0, 3 -> 1;
          case 2 -> 3;
          case 4 -> 2;
          case 6 -> 4;
          default -> 0;
        };
    if (depth != 8 || interlace != 0 || channels == 0 || png[26] != 0 || png[27] != 0) {
      return null;
    }
    ImageDecoder.checkPixels(limits, field, width, height);
    int w = (int) width;
    int h = (int) height;
    byte[] palette = null;
    Inflater inflater = new Inflater();
    try {
      int stride = Math.multiplyExact(w, channels);
      byte[] raw = new byte[Math.multiplyExact(stride + 1, h)];
      int filled = 0;
      boolean ended = false;
      for (int at = 8; at + 12 <= png.length; ) {
        int length = readInt(png, at);
        int type = readInt(png, at + 4);
        if (length < 0 || at + 12L + length > png.length) {
          return null;
        }
        if (type == IEND) {
          ended = true;
          break;
        } else if (type == PLTE) {
          palette = java.util.Arrays.copyOfRange(png, at + 8, at + 8 + length);
        } else if (type == IDAT) {
          inflater.setInput(png, at + 8, length);
          while (!inflater.needsInput() && !inflater.finished() && filled < raw.length) {
            int n = inflater.inflate(raw, filled, raw.length - filled);
            if (n == 0 && inflater.needsDictionary()) {
              return null; // not a valid PNG stream
            }
            filled += n;
          }
        }
        at += 12 + length;
      }
      if (!ended || filled != raw.length || (colourType == 3 && palette == null)) {
        return null;
      }
      if (!unfilter(raw, stride, h, channels)) {
        return null;
      }
      return toRgb(raw, w, h, channels, colourType, palette);
    } catch (DataFormatException e) {
      return null;
    } finally {
      inflater.end();
    }
  }

  /**
   * The five PNG row filters undone in place; false on an unknown filter type. The first row reads
   * a row of zeros above it; the first pixel of a row has zeros to its left (split off so the main
   * loops have no branches).
   */
  private static boolean unfilter(byte[] raw, int stride, int height, int bpp) {
    byte[] zeros = new byte[stride];
    for (int y = 0; y < height; y++) {
      int row = y * (stride + 1) + 1;
      byte[] up = y == 0 ? zeros : raw;
      int prev = y == 0 ? 0 : row - stride - 1;
      int type = raw[row - 1];
      if ((bpp == 1 || bpp == 3) && (type == 3 || type == 4)) {
        // The photographs' common case: the left neighbours are carried in locals, one per
        // channel, so each byte waits for an add, not for the byte just stored to be read back.
        if (bpp == 3) {
          unfilterRgb(raw, row, up, prev, stride, type == 4);
        } else {
          unfilterGrey(raw, row, up, prev, stride, type == 4);
        }
        continue;
      }
      switch (type) {
        case 0 -> {}
        case 1 -> {
          for (int i = bpp; i < stride; i++) {
            raw[row + i] += raw[row + i - bpp];
          }
        }
        case 2 -> {
          for (int i = 0; i < stride; i++) {
            raw[row + i] += up[prev + i];
          }
        }
        case 3 -> {
          for (int i = 0; i < bpp; i++) {
            raw[row + i] += (byte) ((up[prev + i] & 0xff) >>> 1);
          }
          for (int i = bpp; i < stride; i++) {
            raw[row + i] += (byte) (((raw[row + i - bpp] & 0xff) + (up[prev + i] & 0xff)) >>> 1);
          }
        }
        case 4 -> {
          for (int i = 0; i < bpp; i++) {
            raw[row + i] += up[prev + i]; // Paeth with nothing to the left picks the byte above
          }
          for (int i = bpp; i < stride; i++) {
            int a = raw[row + i - bpp] & 0xff;
            int b = up[prev + i] & 0xff;
            int c = up[prev + i - bpp] & 0xff;
            raw[row + i] += (byte) paeth(a, b, c);
          }
        }
        default -> {
          return false;
        }
      }
    }
    return true;
  }

  /** Average (3) or Paeth (4) of one RGB row; zeros left of the first pixel. */
  private static void unfilterRgb(
      byte[] raw, int row, byte[] up, int prev, int stride, boolean paeth) {
    int a0 = 0;
    int a1 = 0;
    int a2 = 0;
    int c0 = 0;
    int c1 = 0;
    int c2 = 0;
    for (int i = 0; i < stride; i += 3) {
      int at = row + i;
      int b0 = up[prev + i] & 0xff;
      int b1 = up[prev + i + 1] & 0xff;
      int b2 = up[prev + i + 2] & 0xff;
      a0 = (raw[at] + (paeth ? paeth(a0, b0, c0) : (a0 + b0) >>> 1)) & 0xff;
      a1 = (raw[at + 1] + (paeth ? paeth(a1, b1, c1) : (a1 + b1) >>> 1)) & 0xff;
      a2 = (raw[at + 2] + (paeth ? paeth(a2, b2, c2) : (a2 + b2) >>> 1)) & 0xff;
      raw[at] = (byte) a0;
      raw[at + 1] = (byte) a1;
      raw[at + 2] = (byte) a2;
      c0 = b0;
      c1 = b1;
      c2 = b2;
    }
  }

  /** Average (3) or Paeth (4) of one grey row; zero left of the first pixel. */
  private static void unfilterGrey(
      byte[] raw, int row, byte[] up, int prev, int stride, boolean paeth) {
    int a = 0;
    int c = 0;
    for (int i = 0; i < stride; i++) {
      int b = up[prev + i] & 0xff;
      a = (raw[row + i] + (paeth ? paeth(a, b, c) : (a + b) >>> 1)) & 0xff;
      raw[row + i] = (byte) a;
      c = b;
    }
  }

  /**
   * The PNG specification's predictor: of a, b, c the one nearest a + b - c, ties in that order.
   * Without branches (the choice follows the picture, so branches would be mispredicted about every
   * other byte): a sign mask picks b or c, then a or that.
   */
  static int paeth(int a, int b, int c) {
    int pa = Math.abs(b - c);
    int pb = Math.abs(a - c);
    int pc = Math.abs(a + b - 2 * c);
    int bOrC = b ^ ((b ^ c) & ((pc - pb) >> 31)); // c where pc < pb
    return a ^ ((a ^ bOrC) & ((Math.min(pb, pc) - pa) >> 31)); // that where min(pb, pc) < pa
  }

  /** One loop per colour type, so that no pixel asks which type it is. */
  private static RgbImage toRgb(
      byte[] raw, int w, int h, int channels, int colourType, byte[] palette) {
    byte[] rgb = new byte[w * h * 3];
    int stride = w * channels;
    int entries = palette == null ? 0 : palette.length / 3;
    for (int y = 0; y < h; y++) {
      int in = y * (stride + 1) + 1;
      int out = y * w * 3;
      switch (colourType) {
        case 2 -> System.arraycopy(raw, in, rgb, out, stride);
        case 3 -> {
          for (int x = 0; x < w; x++, in++, out += 3) {
            int index = raw[in] & 0xff;
            if (index >= entries) {
              return null;
            }
            rgb[out] = palette[index * 3];
            rgb[out + 1] = palette[index * 3 + 1];
            rgb[out + 2] = palette[index * 3 + 2];
          }
        }
        case 6 -> { // RGBA: alpha dropped
          for (int x = 0; x < w; x++, in += 4, out += 3) {
            rgb[out] = raw[in];
            rgb[out + 1] = raw[in + 1];
            rgb[out + 2] = raw[in + 2];
          }
        }
        default -> { // grey, grey + alpha
          for (int x = 0; x < w; x++, in += channels, out += 3) {
            byte v = raw[in];
            rgb[out] = v;
            rgb[out + 1] = v;
            rgb[out + 2] = v;
          }
        }
      }
    }
    return new RgbImage(w, h, rgb);
  }

  private static int readInt(byte[] b, int at) {
    return (b[at] & 0xff) << 24
        | (b[at + 1] & 0xff) << 16
        | (b[at + 2] & 0xff) << 8
        | b[at + 3] & 0xff;
  }

  private static long readLong(byte[] b, int at) {
    return (readInt(b, at) & 0xffffffffL) << 32 | (readInt(b, at + 4) & 0xffffffffL);
  }
}
