package multimodal.encoder.inference;

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
import java.util.List;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * The EXIF orientation of a JPEG (TwelveMonkeys' metadata reader) and the transform that shows
 * the image upright, as Pillow's {@code ImageOps.exif_transpose}, which transformers'
 * {@code load_image} applies.
 */
final class ExifOrientation {
  static final int TOP_LEFT = 1;

  private ExifOrientation() {}

  /** The orientation tag (1–8) of a JPEG's EXIF segment; 1 when absent or unreadable. */
  static int ofJpeg(byte[] jpeg) {
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(jpeg))) {
      List<JPEGSegment> segments = JPEGSegmentUtil.readSegments(in, JPEG.APP1, "Exif");
      if (segments.isEmpty()) {
        return TOP_LEFT;
      }
      byte[] data;
      try (InputStream segment = segments.get(0).data()) {
        data = segment.readAllBytes();
      }
      // The TIFF header follows "Exif\0" and one pad byte; find it rather than trust the padding.
      int start = 0;
      while (start < Math.min(4, data.length) && data[start] != 'I' && data[start] != 'M') {
        start++;
      }
      try (ImageInputStream tiff =
          new MemoryCacheImageInputStream(new ByteArrayInputStream(data, start, data.length - start))) {
        Directory directory = new TIFFReader().read(tiff);
        Entry entry = directory.getEntryById(TIFF.TAG_ORIENTATION);
        if (entry != null && entry.getValue() instanceof Number n && n.intValue() >= 1 && n.intValue() <= 8) {
          return n.intValue();
        }
      }
    } catch (IOException | RuntimeException e) {
      // Broken EXIF never stops decoding: show the pixels as stored.
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
          case 2 -> { sx = w - 1 - x; sy = y; }
          case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
          case 4 -> { sx = x; sy = h - 1 - y; }
          case 5 -> { sx = y; sy = x; }
          case 6 -> { sx = y; sy = h - 1 - x; }
          case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
          default -> { sx = w - 1 - y; sy = x; } // 8
        }
        System.arraycopy(src, (sy * w + sx) * 3, dst, (y * outW + x) * 3, 3);
      }
    }
    return new RgbImage(outW, outH, dst);
  }
}
