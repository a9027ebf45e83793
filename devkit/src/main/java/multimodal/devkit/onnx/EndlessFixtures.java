package multimodal.devkit.onnx;

import static multimodal.devkit.onnx.OnnxModelWriter.FLOAT;
import static multimodal.devkit.onnx.OnnxModelWriter.INT64;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import multimodal.devkit.onnx.OnnxModelWriter.Attribute;

/**
 * The caption fixture (ViT-GPT2 layout) and the VQA fixture (SmolVLM layout) with a decoder that
 * never stops and takes a while per step: for tests of cancellation and deadlines, where an
 * uncancelled generation must be long.
 *
 * <p>The decoder keeps the real tensor interface of its layout (the KV cache grows by one position
 * per step, {@code present.*} = past + zeros) but always answers the word "a" (never the end
 * token), and each step does {@code work} chained 256×256 matrix products on data that depends on
 * the step's inputs (so ONNX Runtime cannot fold them away), about 34 MFLOP each. Encoders,
 * tokenizers and configs are the fixtures' own.
 */
public final class EndlessFixtures {
  public static final String CAPTION_DIR = "endless-caption-fixture";
  public static final String VQA_DIR = "endless-vqa-fixture";

  /** The one word every step generates. */
  public static final String WORD = "a";

  private static final int BUSY = 256;
  private static final String DECODER = "onnx/decoder_model_merged.onnx";

  private final int work;

  /**
   * @param work matrix products per step (each about 34 MFLOP)
   */
  public EndlessFixtures(int work) {
    this.work = work;
  }

  /** Writes (or refreshes) {@code <outDir>/endless-caption-fixture/} (ViT-GPT2 layout). */
  public Path writeCaption(Path outDir) {
    Map<String, byte[]> files = new CaptionFixtures().vitGpt2Files();
    List<String> vocab = CaptionFixtures.vocabulary();
    OnnxModelWriter model =
        new OnnxModelWriter("endless_gpt2_decoder")
            .input("input_ids", INT64, "batch_size", "decoder_sequence_length")
            .input(
                "encoder_hidden_states",
                FLOAT,
                "batch_size",
                "encoder_sequence_length",
                CaptionFixtures.HIDDEN)
            .input("use_cache_branch", 9 /* BOOL */, 1);
    files.put(
        DECODER,
        decoder(
            model,
            "input_ids",
            List.of("input_ids", "encoder_hidden_states", "use_cache_branch"),
            CaptionFixtures.LAYERS,
            CaptionFixtures.HEADS,
            CaptionFixtures.HEAD_DIM,
            vocab));
    Path dir = outDir.resolve(CAPTION_DIR);
    FixtureModels.writeIfChanged(dir, files);
    return dir;
  }

  /** Writes (or refreshes) {@code <outDir>/endless-vqa-fixture/} (SmolVLM layout). */
  public Path writeVqa(Path outDir) {
    Map<String, byte[]> files = new VqaFixtures().smolVlmFiles();
    List<String> vocab = VqaFixtures.vocabulary();
    OnnxModelWriter model =
        new OnnxModelWriter("endless_smolvlm_decoder")
            .input("inputs_embeds", FLOAT, "batch_size", "sequence_length", VqaFixtures.HIDDEN)
            .input("attention_mask", INT64, "batch_size", "total_sequence_length")
            .input("position_ids", INT64, "batch_size", "sequence_length");
    files.put(
        DECODER,
        decoder(
            model,
            "inputs_embeds",
            List.of("inputs_embeds", "attention_mask", "position_ids"),
            VqaFixtures.LAYERS,
            VqaFixtures.KV_HEADS,
            VqaFixtures.HEAD_DIM,
            vocab));
    Path dir = outDir.resolve(VQA_DIR);
    FixtureModels.writeIfChanged(dir, files);
    return dir;
  }

  /**
   * Completes a decoder whose non-past inputs are declared: past/present pairs, logits {@code
   * [B,S,vocab]} that always pick {@link #WORD}, and the busy work.
   *
   * @param shapeSource the input whose dims 0 and 1 are batch and new sequence length
   * @param consumed the non-past inputs (each feeds the busy work with weight 0)
   */
  private byte[] decoder(
      OnnxModelWriter model,
      String shapeSource,
      List<String> consumed,
      int layers,
      int heads,
      int headDim,
      List<String> vocab) {
    List<String> pasts = new ArrayList<>();
    for (int layer = 0; layer < layers; layer++) {
      for (String kind : List.of("key", "value")) {
        String past = "past_key_values." + layer + "." + kind;
        pasts.add(past);
        model.input(past, FLOAT, "batch_size", heads, "past_sequence_length", headDim);
      }
    }
    model.output("logits", FLOAT, "batch_size", "sequence_length", vocab.size());
    for (String past : pasts) {
      model.output(
          past.replace("past_key_values.", "present."),
          FLOAT,
          "batch_size",
          heads,
          "total_sequence_length",
          headDim);
    }
    float[] row = new float[vocab.size()];
    java.util.Arrays.fill(row, -10f);
    row[vocab.indexOf(WORD)] = 10f;
    float[] identity = new float[BUSY * BUSY];
    for (int i = 0; i < BUSY; i++) {
      identity[i * BUSY + i] = 1;
    }
    model
        .floatInitializer("word_row", new long[] {vocab.size()}, row)
        .floatInitializer("busy_matrix", new long[] {BUSY, BUSY}, identity)
        .floatInitializer("zero_f", new long[] {}, new float[] {0})
        .longInitializer("zero_i", new long[] {}, new long[] {0})
        .longInitializer("one_i", new long[] {}, new long[] {1})
        .longInitializer("axis_0", new long[] {1}, new long[] {0})
        .longInitializer("one_1", new long[] {1}, new long[] {1})
        .longInitializer("heads", new long[] {1}, new long[] {heads})
        .longInitializer("head_dim", new long[] {1}, new long[] {headDim})
        .node("Shape", List.of(shapeSource), List.of("src_shape"))
        .node("Gather", List.of("src_shape", "zero_i"), List.of("batch"))
        .node("Gather", List.of("src_shape", "one_i"), List.of("seq"))
        .node("Unsqueeze", List.of("batch", "axis_0"), List.of("batch_1"))
        .node("Unsqueeze", List.of("seq", "axis_0"), List.of("seq_1"))
        .node(
            "Concat",
            List.of("batch_1", "heads", "seq_1", "head_dim"),
            List.of("kv_shape"),
            Attribute.of("axis", 0L))
        .node("Expand", List.of("zero_f", "kv_shape"), List.of("new_kv"))
        .node(
            "Concat",
            List.of("batch_1", "seq_1", "one_1"),
            List.of("logits_shape"),
            Attribute.of("axis", 0L))
        .node("Expand", List.of("word_row", "logits_shape"), List.of("word_logits"));
    for (String past : pasts) {
      model.node(
          "Concat",
          List.of(past, "new_kv"),
          List.of(past.replace("past_key_values.", "present.")),
          Attribute.of("axis", 2L));
    }
    // Busy work that depends on every non-past input (weight 0, so the answer does not change).
    String total = "zero_f";
    for (String input : consumed) {
      model
          .node("Cast", List.of(input), List.of(input + "_f"), Attribute.of("to", (long) FLOAT))
          .node(
              "ReduceSum",
              List.of(input + "_f"),
              List.of(input + "_sum"),
              Attribute.of("keepdims", 0L))
          .node("Add", List.of(total, input + "_sum"), List.of(input + "_total"));
      total = input + "_total";
    }
    model
        .node("Mul", List.of(total, "zero_f"), List.of("inputs_zero"))
        .node("Add", List.of("busy_matrix", "inputs_zero"), List.of("busy_0"));
    for (int i = 0; i < work; i++) {
      model.node("MatMul", List.of("busy_" + i, "busy_matrix"), List.of("busy_" + (i + 1)));
    }
    return model
        .node(
            "ReduceMean",
            List.of("busy_" + work),
            List.of("busy_mean"),
            Attribute.of("keepdims", 0L))
        .node("Mul", List.of("busy_mean", "zero_f"), List.of("busy_zero"))
        .node("Add", List.of("word_logits", "busy_zero"), List.of("logits"))
        .toByteArray();
  }
}
