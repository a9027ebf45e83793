package multimodal.generator.inference.image;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Per-channel (R, G, B) settings of a Hugging Face preprocessor config, such as {@code image_mean}.
 */
public final class ChannelValues {
  private ChannelValues() {}

  /**
   * The three numbers of {@code node}; the fallback when the field is absent or not three numbers.
   */
  public static float[] read(JsonNode node, float[] fallback) {
    if (node.isArray() && node.size() == 3) {
      return new float[] {
        (float) node.get(0).asDouble(),
        (float) node.get(1).asDouble(),
        (float) node.get(2).asDouble()
      };
    }
    return fallback.clone();
  }

  /** {@link #read(JsonNode, float[])} with the same fallback for every channel. */
  public static float[] read(JsonNode node, float fallback) {
    return read(node, new float[] {fallback, fallback, fallback});
  }
}
