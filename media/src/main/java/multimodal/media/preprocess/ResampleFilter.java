package multimodal.media.preprocess;

/**
 * The two Pillow resampling filters the platform's models were trained with: CLIP, Florence-2 and
 * SmolVLM use bicubic, ViT-GPT2 bilinear. Each is Pillow's {@code filter} function with its support
 * radius at scale 1 ({@code src/libImaging/Resample.c}).
 */
public enum ResampleFilter {
  /** Pillow's {@code bilinear_filter}: a triangle of radius 1. */
  BILINEAR(1.0) {
    @Override
    double weight(double x) {
      x = Math.abs(x);
      return x < 1.0 ? 1.0 - x : 0.0;
    }
  },
  /** Pillow's {@code bicubic_filter}: Keys' cubic with a = -0.5, radius 2. */
  BICUBIC(2.0) {
    @Override
    double weight(double x) {
      final double a = -0.5;
      x = Math.abs(x);
      if (x < 1.0) {
        return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
      }
      if (x < 2.0) {
        return (((x - 5) * x + 8) * x - 4) * a;
      }
      return 0.0;
    }
  };

  final double support;

  ResampleFilter(double support) {
    this.support = support;
  }

  abstract double weight(double x);

  /**
   * The filter of a Hugging Face config's {@code resample} (Pillow's numbering: 2 bilinear, 3
   * bicubic); the others (nearest, Lanczos, box, Hamming) are not ported and fall back to bicubic.
   */
  public static ResampleFilter fromPillow(int resample) {
    return resample == 2 ? BILINEAR : BICUBIC;
  }
}
