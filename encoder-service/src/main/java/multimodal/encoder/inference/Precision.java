package multimodal.encoder.inference;

import java.util.Locale;

/** How a model's graphs run: as exported, or with their constant-weight matrix products in int8. */
public enum Precision {
  /** The graphs as exported. */
  FP32,
  /**
   * MatMul/Gemm with constant weights rewritten by {@link Int8MatMulQuantizer} at load: per-column
   * int8 weights, activations quantised per batch at run time.
   */
  INT8;

  /** {@code fp32} or {@code int8}, any case. */
  public static Precision parse(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "fp32" -> FP32;
      case "int8" -> INT8;
      default ->
          throw new ModelLoadException("unknown precision '" + value + "' (use fp32 or int8)");
    };
  }
}
