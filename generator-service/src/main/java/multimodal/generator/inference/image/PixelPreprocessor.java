package multimodal.generator.inference.image;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;

/**
 * Resizes an RGB image to a fixed size (no aspect preservation, as ViT and Florence-2 processors
 * do) with a Pillow-style separable filter, rescales by 1/255, normalises per channel and writes
 * planar RGB ({@code [3, height, width]}).
 *
 * <p>Pillow's resampling is re-implemented because Java2D's scaling does not antialias when
 * shrinking and uses other kernels (docs/models.md §2.2): the kernel support is stretched by
 * the scale factor, coefficients are normalised, and each pass rounds back to 8 bits.
 */
public final class PixelPreprocessor {
  /** Pillow filter numbers used by Hugging Face preprocessor configs. */
  public enum Filter {
    BILINEAR(1.0),
    BICUBIC(2.0);

    final double support;

    Filter(double support) {
      this.support = support;
    }

    double weight(double x) {
      x = Math.abs(x);
      if (this == BILINEAR) {
        return x < 1 ? 1 - x : 0;
      }
      double a = -0.5;
      if (x < 1) {
        return ((a + 2) * x - (a + 3)) * x * x + 1;
      }
      if (x < 2) {
        return (((x - 5) * x + 8) * x - 4) * a;
      }
      return 0;
    }

    /** Pillow's numbering: 2 bilinear, 3 bicubic (others fall back to bicubic). */
    public static Filter fromPillow(int resample) {
      return resample == 2 ? BILINEAR : BICUBIC;
    }
  }

  private final int width;
  private final int height;
  private final Filter filter;
  private final float[] mean;
  private final float[] std;

  public PixelPreprocessor(int width, int height, Filter filter, float[] mean, float[] std) {
    this.width = width;
    this.height = height;
    this.filter = filter;
    this.mean = mean.clone();
    this.std = std.clone();
  }

  /**
   * A per-channel (R, G, B) setting of a preprocessor config, such as {@code image_mean}; the
   * fallback when the field is absent or not three numbers.
   */
  public static float[] channelValues(JsonNode node, float[] fallback) {
    if (node.isArray() && node.size() == 3) {
      return new float[] {(float) node.get(0).asDouble(), (float) node.get(1).asDouble(), (float) node.get(2).asDouble()};
    }
    return fallback.clone();
  }

  /** {@link #channelValues(JsonNode, float[])} with the same fallback for every channel. */
  public static float[] channelValues(JsonNode node, float fallback) {
    return channelValues(node, new float[] {fallback, fallback, fallback});
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  /** {@code [3 * height * width]} floats, channel-planar. */
  public float[] pixels(BufferedImage image) {
    int w = image.getWidth();
    int h = image.getHeight();
    int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
    int[][] channels = new int[3][w * h];
    for (int i = 0; i < argb.length; i++) {
      channels[0][i] = (argb[i] >> 16) & 0xff;
      channels[1][i] = (argb[i] >> 8) & 0xff;
      channels[2][i] = argb[i] & 0xff;
    }
    float[] out = new float[3 * width * height];
    for (int c = 0; c < 3; c++) {
      int[] horizontal = resample(channels[c], w, h, width, true);
      int[] resized = resample(horizontal, width, h, height, false);
      for (int i = 0; i < width * height; i++) {
        out[c * width * height + i] = (resized[i] / 255f - mean[c]) / std[c];
      }
    }
    return out;
  }

  /** One separable pass along x ({@code alongX}) or y, to {@code outSize} samples. */
  private int[] resample(int[] in, int inW, int inH, int outSize, boolean alongX) {
    int inSize = alongX ? inW : inH;
    int other = alongX ? inH : inW;
    int[] out = alongX ? new int[outSize * inH] : new int[inW * outSize];
    double scale = (double) inSize / outSize;
    double filterScale = Math.max(1.0, scale);
    double support = filter.support * filterScale;
    for (int o = 0; o < outSize; o++) {
      double centre = (o + 0.5) * scale;
      int from = (int) Math.max(0, Math.floor(centre - support + 0.5));
      int to = (int) Math.min(inSize, Math.floor(centre + support + 0.5));
      double[] weights = new double[Math.max(0, to - from)];
      double total = 0;
      for (int i = from; i < to; i++) {
        double weight = filter.weight((i - centre + 0.5) / filterScale);
        weights[i - from] = weight;
        total += weight;
      }
      for (int line = 0; line < other; line++) {
        double sum = 0;
        for (int i = from; i < to; i++) {
          int index = alongX ? line * inW + i : i * inW + line;
          sum += in[index] * weights[i - from];
        }
        int value = (int) Math.round(total == 0 ? 0 : sum / total);
        value = Math.max(0, Math.min(255, value));
        if (alongX) {
          out[line * outSize + o] = value;
        } else {
          out[o * inW + line] = value;
        }
      }
    }
    return out;
  }
}
