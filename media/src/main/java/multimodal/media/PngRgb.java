package multimodal.media;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The common PNGs (8 bits per sample, not interlaced: grey, RGB, palette, grey + alpha, RGBA) to
 * stored RGB values, straight from the chunks: zlib through {@link LibDeflate} where it is loaded
 * (else, and for any stream it refuses, the JDK's {@link Inflater}), the five row filters, then
 * grey replicated, the palette looked up and alpha dropped, as Pillow's {@code convert("RGB")}
 * does. Written by hand because the JDK's reader spent as long building its raster as inflating,
 * and the conversion to RGB through that raster took as long again (a third of preprocessing's time
 * on the shared photographs); PNG is lossless, so any correct decoder gives these values, and
 * {@code PillowGoldenTest} holds them to Pillow's.
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

  /** Four bytes of a row as one int (any byte order: the lanes are added independently). */
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  /** The most inflated rows a thread keeps between images: a 4-MP RGB picture's. */
  static final int KEPT_ROWS = 12 << 20;

  private static final ThreadLocal<byte[]> ROWS = new ThreadLocal<>();

  private PngRgb() {}

  static boolean isPng(byte[] b) {
    return b.length >= 8 && readLong(b, 0) == SIGNATURE;
  }

  /**
   * As {@link #decode(byte[], String, ImageLimits, LibDeflate)} with the JDK's inflate only.
   *
   * @throws InvalidImageException when IHDR declares more pixels than the limit
   */
  static RgbImage decode(byte[] png, String field, ImageLimits limits) {
    return decode(png, field, limits, null);
  }

  /**
   * The stored RGB values, or null when the JDK's reader must decode (or refuse) the file. The zlib
   * stream is inflated by {@code deflate} when given; where it refuses the stream (damaged, or an
   * inflated size other than the header's), the JDK's {@link Inflater} decides as before.
   *
   * @throws InvalidImageException when IHDR declares more pixels than the limit
   */
  static RgbImage decode(byte[] png, String field, ImageLimits limits, LibDeflate deflate) {
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
    int stride = Math.multiplyExact(w, channels);
    int size = Math.multiplyExact(stride + 1, h);
    byte[] palette = null;
    List<int[]> data = new ArrayList<>();
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
        palette = Arrays.copyOfRange(png, at + 8, at + 8 + length);
      } else if (type == IDAT) {
        data.add(new int[] {at + 8, length});
      }
      at += 12 + length;
    }
    if (!ended || (colourType == 3 && palette == null)) {
      return null;
    }
    int[][] parts = data.toArray(new int[0][]);
    byte[] raw = rows(size);
    boolean inflated =
        (deflate != null && deflate.inflate(png, parts, raw, size))
            || inflate(png, parts, raw, size);
    if (!inflated || !unfilter(raw, stride, h, channels)) {
      return null;
    }
    return toRgb(raw, w, h, channels, colourType, palette);
  }

  /**
   * An array of at least {@code size} bytes for the inflated rows, which live only until they are
   * converted to RGB: each thread keeps one up to {@link #KEPT_ROWS}, because a fresh array of a
   * large photograph's rows (6.6 MB for CLIP.png) cost as much to allocate and clear as the row
   * filters cost to undo.
   */
  private static byte[] rows(int size) {
    if (size > KEPT_ROWS) {
      return new byte[size];
    }
    byte[] kept = ROWS.get();
    if (kept == null || kept.length < size) {
      kept = new byte[Math.max(size, 1 << 20)];
      ROWS.set(kept);
    }
    return kept;
  }

  /** The JDK's streaming inflate of the IDAT parts; false unless it fills exactly {@code size}. */
  private static boolean inflate(byte[] png, int[][] parts, byte[] raw, int size) {
    Inflater inflater = new Inflater();
    try {
      int filled = 0;
      for (int[] part : parts) {
        inflater.setInput(png, part[0], part[1]);
        while (!inflater.needsInput() && !inflater.finished() && filled < size) {
          int n = inflater.inflate(raw, filled, size - filled);
          if (n == 0 && inflater.needsDictionary()) {
            return false; // not a valid PNG stream
          }
          filled += n;
        }
      }
      return filled == size;
    } catch (DataFormatException e) {
      return false;
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
          if (bpp == 4) {
            subRgba(raw, row, stride);
          } else {
            for (int i = bpp; i < stride; i++) {
              raw[row + i] += raw[row + i - bpp];
            }
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

  /**
   * Sub (1) of one RGBA row, a pixel at a time: the four bytes are added lane by lane in one int
   * (the carry out of each byte's low seven bits is kept out of the next byte), and the left pixel
   * is carried in a local. Byte by byte, each add waited for the byte stored four places back.
   */
  private static void subRgba(byte[] raw, int row, int stride) {
    int left = 0;
    for (int i = 0; i + 4 <= stride; i += 4) {
      int delta = (int) INT.get(raw, row + i);
      left = ((delta & 0x7f7f7f7f) + (left & 0x7f7f7f7f)) ^ ((delta ^ left) & 0x80808080);
      INT.set(raw, row + i, left);
    }
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
