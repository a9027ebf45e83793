package multimodal.media;

import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * The EXIF orientation of a JPEG, PNG or WebP (TwelveMonkeys' TIFF reader) and the transform that
 * shows the image upright, as Pillow's {@code ImageOps.exif_transpose}, which transformers' {@code
 * load_image} applies.
 */
final class ExifOrientation {
  static final int TOP_LEFT = 1;
  private static final int PNG_EXIF = 0x65584966; // "eXIf"
  private static final int PNG_IEND = 0x49454e44; // "IEND"
  private static final int WEBP_EXIF = 0x45584946; // "EXIF"

  private ExifOrientation() {}

  /**
   * The orientation tag (1–8) of an image's EXIF block, wherever its format keeps one: a JPEG's
   * APP1 segment, a PNG's {@code eXIf} chunk, a WebP's {@code EXIF} chunk (Pillow's {@code
   * getexif()} reads all three). 1 when absent or unreadable.
   */
  static int of(String format, byte[] bytes) {
    try {
      byte[] exif =
          switch (format.toLowerCase(java.util.Locale.ROOT)) {
            case "jpeg" -> jpegExif(bytes);
            case "png" -> pngExif(bytes);
            case "webp" -> webpExif(bytes);
            default -> null;
          };
      return exif == null ? TOP_LEFT : orientation(exif);
    } catch (IOException | RuntimeException e) {
      // Broken EXIF never stops decoding: show the pixels as stored.
      return TOP_LEFT;
    }
  }

  private static byte[] jpegExif(byte[] jpeg) throws IOException {
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(jpeg))) {
      List<JPEGSegment> segments = JPEGSegmentUtil.readSegments(in, JPEG.APP1, "Exif");
      if (segments.isEmpty()) {
        return null;
      }
      try (InputStream segment = segments.get(0).data()) {
        return segment.readAllBytes();
      }
    }
  }

  /**
   * The {@code eXIf} chunk of a PNG. Chunks are walked by hand: the JDK's PNG reader drops chunks
   * it does not know, and its metadata tree has no EXIF node.
   */
  private static byte[] pngExif(byte[] png) {
    ByteBuffer in = ByteBuffer.wrap(png).order(ByteOrder.BIG_ENDIAN);
    in.position(8); // signature
    while (in.remaining() >= 12) {
      int length = in.getInt();
      int type = in.getInt();
      if (length < 0 || length > in.remaining() - 4) {
        return null;
      }
      if (type == PNG_EXIF) {
        return slice(in, length);
      }
      if (type == PNG_IEND) {
        return null;
      }
      in.position(in.position() + length + 4); // data and CRC
    }
    return null;
  }

  /** The {@code EXIF} chunk of an extended-format WebP (RIFF; little-endian sizes, even-padded). */
  private static byte[] webpExif(byte[] webp) {
    ByteBuffer in = ByteBuffer.wrap(webp).order(ByteOrder.LITTLE_ENDIAN);
    in.position(12); // "RIFF", size, "WEBP"
    while (in.remaining() >= 8) {
      int fourCc = in.order(ByteOrder.BIG_ENDIAN).getInt();
      int size = in.order(ByteOrder.LITTLE_ENDIAN).getInt();
      if (size < 0 || size > in.remaining()) {
        return null;
      }
      if (fourCc == WEBP_EXIF) {
        return slice(in, size);
      }
      in.position(Math.min(in.limit(), in.position() + size + (size & 1)));
    }
    return null;
  }

  private static byte[] slice(ByteBuffer in, int length) {
    byte[] out = new byte[length];
    in.get(out);
    return out;
  }

  /**
   * The Orientation entry of an EXIF block. Writers differ in what precedes the TIFF header
   * ("Exif\0\0" in WebP and some PNGs, a pad byte after JPEG's identifier), so it is searched for.
   */
  private static int orientation(byte[] exif) throws IOException {
    int start = 0;
    while (start < Math.min(8, exif.length - 1)
        && !((exif[start] == 'I' && exif[start + 1] == 'I')
            || (exif[start] == 'M' && exif[start + 1] == 'M'))) {
      start++;
    }
    try (ImageInputStream tiff =
        new MemoryCacheImageInputStream(
            new ByteArrayInputStream(exif, start, exif.length - start))) {
      Directory directory = new TIFFReader().read(tiff);
      Entry entry = directory.getEntryById(TIFF.TAG_ORIENTATION);
      if (entry != null
          && entry.getValue() instanceof Number n
          && n.intValue() >= 1
          && n.intValue() <= 8) {
        return n.intValue();
      }
    }
    return TOP_LEFT;
  }

  /** The upright image for an EXIF orientation (1 = as stored). */
  static RgbImage apply(RgbImage in, int orientation) {
    if (orientation <= TOP_LEFT || orientation > 8) {
      return in;
    }
    int w = in.width();
    int h = in.height();
    boolean swap = orientation >= 5;
    int outW = swap ? h : w;
    int outH = swap ? w : h;
    byte[] src = in.rgb();
    byte[] dst = new byte[src.length];
    for (int y = 0; y < outH; y++) {
      for (int x = 0; x < outW; x++) {
        int sx;
        int sy;
        switch (orientation) {
          case 2 -> {
            sx = w - 1 - x;
            sy = y;
          }
          case 3 -> {
            sx = w - 1 - x;
            sy = h - 1 - y;
          }
          case 4 -> {
            sx = x;
            sy = h - 1 - y;
          }
          case 5 -> {
            sx = y;
            sy = x;
          }
          case 6 -> {
            sx = y;
            sy = h - 1 - x;
          }
          case 7 -> {
            sx = w - 1 - y;
            sy = h - 1 - x;
          }
          default -> {
            sx = w - 1 - y;
            sy = x;
          } // 8
        }
        System.arraycopy(src, (sy * w + sx) * 3, dst, (y * outW + x) * 3, 3);
      }
    }
    return new RgbImage(outW, outH, dst);
  }
}
