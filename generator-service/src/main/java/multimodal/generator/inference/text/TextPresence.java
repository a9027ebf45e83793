package multimodal.generator.inference.text;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A cheap check, run before Tesseract, for whether an image can hold text Tesseract would read. The
 * project has no text-detection model, so this is the classical connected-component method (as in
 * Jain and Yu, "Automatic text location in images and video frames", 1998, and Tesseract's own
 * text-line finding): binarise with Otsu's global threshold, which is also what Tesseract binarises
 * with by default, so text this threshold loses Tesseract loses too; label the connected components
 * of both polarities (dark on light and light on dark); keep those of a glyph's size and shape; and
 * say "text" when at least {@value #MIN_GLYPHS_IN_LINE} of them line up as a row of characters does
 * (similar heights, one baseline, gaps of at most one height). Hand-written because no Java library
 * on the project's classpath does it; it costs a few milliseconds where Tesseract spends 50 to 900
 * ms on a photograph without text.
 *
 * <p>It errs towards "text": a busy texture can pass (Tesseract then runs, as without the check),
 * while a line of characters at least {@value #MIN_GLYPH_HEIGHT} pixels high that Otsu separates
 * from its ground is found.
 */
public final class TextPresence {
  /**
   * Characters smaller than this (in pixels of the analysed image) Tesseract does not read
   * reliably.
   */
  static final int MIN_GLYPH_HEIGHT = 6;

  /**
   * Four, not three: on the shared photographs textures line up three glyph-like blobs by chance
   * (astronaut, chelsea, coffee, rocket), never four; a word of four letters, or shorter words in a
   * row, still make a line.
   */
  static final int MIN_GLYPHS_IN_LINE = 4;

  /**
   * Larger images are analysed box-averaged to about this many pixels (small glyphs scale with
   * them).
   */
  private static final long ANALYSED_PIXELS = 2_000_000;

  /**
   * Grey levels (0-255) by which the two sides of the threshold must differ: less is a flat image.
   */
  private static final int MIN_CONTRAST = 24;

  /** A connected component's bounding box and pixel count. */
  record Blob(int left, int top, int right, int bottom, int pixels) {
    int width() {
      return right - left + 1;
    }

    int height() {
      return bottom - top + 1;
    }
  }

  /** True when the image may contain text (run OCR), false when it shows no row of glyphs. */
  public boolean mayContainText(BufferedImage image) {
    return longestLine(image, MIN_GLYPHS_IN_LINE) >= MIN_GLYPHS_IN_LINE;
  }

  /** Glyphs in the image's longest line (either polarity), counting up to {@code enough}. */
  int longestLine(BufferedImage image, int enough) {
    int factor =
        (int) Math.ceil(Math.sqrt((double) image.getWidth() * image.getHeight() / ANALYSED_PIXELS));
    Grey grey = Grey.of(image, Math.max(1, factor));
    int minGlyph = Math.max(3, MIN_GLYPH_HEIGHT / Math.max(1, factor));
    int threshold = otsu(grey.histogram());
    if (threshold < 0) {
      return 0; // one grey level, or two sides too close to hold legible glyphs
    }
    int dark = longestLine(glyphs(grey, threshold, true, minGlyph), enough);
    return dark >= enough
        ? dark
        : Math.max(dark, longestLine(glyphs(grey, threshold, false, minGlyph), enough));
  }

  /** Packed luma of an image, box-averaged by {@code factor}. */
  record Grey(int width, int height, byte[] levels) {
    static Grey of(BufferedImage image, int factor) {
      int width = image.getWidth() / factor;
      int height = image.getHeight() / factor;
      byte[] levels = new byte[width * height];
      int[] row = new int[image.getWidth()];
      int[] sums = new int[width];
      for (int y = 0; y < height; y++) {
        java.util.Arrays.fill(sums, 0);
        for (int dy = 0; dy < factor; dy++) {
          image.getRGB(0, y * factor + dy, image.getWidth(), 1, row, 0, image.getWidth());
          for (int x = 0; x < width * factor; x++) {
            int p = row[x];
            // ITU-R 601 luma in integers, as Pillow's convert("L")
            sums[x / factor] +=
                (((p >> 16) & 0xff) * 299 + ((p >> 8) & 0xff) * 587 + (p & 0xff) * 114 + 500)
                    / 1000;
          }
        }
        for (int x = 0; x < width; x++) {
          levels[y * width + x] = (byte) (sums[x] / (factor * factor));
        }
      }
      return new Grey(width, height, levels);
    }

    int[] histogram() {
      int[] histogram = new int[256];
      for (byte level : levels) {
        histogram[level & 0xff]++;
      }
      return histogram;
    }
  }

  /**
   * Otsu's threshold (pixels at or below it are "dark"), or -1 when the image has one level or the
   * mean levels of the two classes differ by less than {@link #MIN_CONTRAST}.
   */
  static int otsu(int[] histogram) {
    long total = 0;
    long sum = 0;
    for (int level = 0; level < 256; level++) {
      total += histogram[level];
      sum += (long) level * histogram[level];
    }
    long darkCount = 0;
    long darkSum = 0;
    double best = -1;
    int threshold = -1;
    double contrast = 0;
    for (int level = 0; level < 255; level++) {
      darkCount += histogram[level];
      darkSum += (long) level * histogram[level];
      long lightCount = total - darkCount;
      if (darkCount == 0 || lightCount == 0) {
        continue;
      }
      double darkMean = (double) darkSum / darkCount;
      double lightMean = (double) (sum - darkSum) / lightCount;
      double between =
          (double) darkCount * lightCount * (darkMean - lightMean) * (darkMean - lightMean);
      if (between > best) {
        best = between;
        threshold = level;
        contrast = lightMean - darkMean;
      }
    }
    return contrast < MIN_CONTRAST ? -1 : threshold;
  }

  /** Glyph-sized components of one polarity ({@code dark}: pixels at or below the threshold). */
  static List<Blob> glyphs(Grey grey, int threshold, boolean dark, int minHeight) {
    int width = grey.width();
    int height = grey.height();
    boolean[] seen = new boolean[width * height];
    int[] stack = new int[width * height];
    List<Blob> glyphs = new ArrayList<>();
    int maxHeight = Math.max(minHeight, height * 4 / 5);
    for (int start = 0; start < seen.length; start++) {
      if (seen[start] || foreground(grey, start, threshold) != dark) {
        continue;
      }
      // Flood fill (4-connected) with an explicit stack: a component can span the whole image.
      int top = 0;
      stack[top++] = start;
      seen[start] = true;
      int left = width;
      int right = -1;
      int upper = height;
      int lower = -1;
      int pixels = 0;
      while (top > 0) {
        int at = stack[--top];
        int x = at % width;
        int y = at / width;
        pixels++;
        left = Math.min(left, x);
        right = Math.max(right, x);
        upper = Math.min(upper, y);
        lower = Math.max(lower, y);
        if (x > 0) {
          top = push(grey, seen, stack, top, at - 1, threshold, dark);
        }
        if (x < width - 1) {
          top = push(grey, seen, stack, top, at + 1, threshold, dark);
        }
        if (y > 0) {
          top = push(grey, seen, stack, top, at - width, threshold, dark);
        }
        if (y < height - 1) {
          top = push(grey, seen, stack, top, at + width, threshold, dark);
        }
      }
      Blob blob = new Blob(left, upper, right, lower, pixels);
      if (glyphLike(blob, minHeight, maxHeight)) {
        glyphs.add(blob);
      }
    }
    return glyphs;
  }

  private static boolean foreground(Grey grey, int at, int threshold) {
    return (grey.levels()[at] & 0xff) <= threshold;
  }

  private static int push(
      Grey grey, boolean[] seen, int[] stack, int top, int at, int threshold, boolean dark) {
    if (!seen[at] && foreground(grey, at, threshold) == dark) {
      seen[at] = true;
      stack[top++] = at;
    }
    return top;
  }

  /**
   * A glyph's size and shape: tall enough to read, not most of the image, at most three heights
   * wide (a few touching letters) and at most four widths tall ("l", "1" pass; hairlines don't),
   * with strokes: neither a filled rectangle nor a speck of it.
   */
  static boolean glyphLike(Blob blob, int minHeight, int maxHeight) {
    int w = blob.width();
    int h = blob.height();
    if (h < minHeight || h > maxHeight || w > 3 * h || 4 * w < h) {
      return false;
    }
    double fill = (double) blob.pixels() / ((long) w * h);
    return fill >= 0.08 && fill <= 0.85;
  }

  /**
   * True when {@value #MIN_GLYPHS_IN_LINE} glyphs follow each other left to right as letters of a
   * line do: heights within a factor of 1.5, bottoms on one baseline (within a fifth of the
   * height), the gap to the next at most one height.
   */
  static boolean hasLine(List<Blob> glyphs) {
    return longestLine(glyphs, MIN_GLYPHS_IN_LINE) >= MIN_GLYPHS_IN_LINE;
  }

  /** Glyphs in the longest line found, counting up to {@code enough} (then it stops looking). */
  static int longestLine(List<Blob> glyphs, int enough) {
    int longest = Math.min(1, glyphs.size());
    List<Blob> byLeft = new ArrayList<>(glyphs);
    byLeft.sort(Comparator.comparingInt(Blob::left));
    int[] chain = new int[byLeft.size()]; // longest line ending at each glyph
    for (int j = 0; j < byLeft.size(); j++) {
      chain[j] = 1;
      Blob next = byLeft.get(j);
      for (int i = j - 1; i >= 0; i--) {
        Blob previous = byLeft.get(i);
        if (next.left() - previous.left() > 4 * Math.max(previous.height(), next.height())) {
          break; // sorted by left: everything further back is further away
        }
        if (neighbours(previous, next)) {
          chain[j] = Math.max(chain[j], chain[i] + 1);
          longest = Math.max(longest, chain[j]);
          if (longest >= enough) {
            return longest;
          }
        }
      }
    }
    return longest;
  }

  private static boolean neighbours(Blob previous, Blob next) {
    int low = Math.min(previous.height(), next.height());
    int high = Math.max(previous.height(), next.height());
    if (2 * high > 3 * low || next.left() <= previous.left()) {
      return false;
    }
    // Letters of a word stand on one baseline (a descender is skipped over: the chain may jump it).
    if (Math.abs(previous.bottom() - next.bottom()) > Math.max(1, low / 5)) {
      return false;
    }
    int gap = next.left() - previous.right() - 1;
    return gap <= high && gap >= -low / 4;
  }
}
