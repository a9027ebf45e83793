package multimodal.devkit.onnx;

import static multimodal.devkit.onnx.ColourClipFixture.CROP;
import static multimodal.devkit.onnx.ColourClipFixture.MEAN;
import static multimodal.devkit.onnx.ColourClipFixture.PROJECTION_DIM;
import static multimodal.devkit.onnx.ColourClipFixture.STD;
import static multimodal.devkit.onnx.OnnxModelWriter.FLOAT;
import static multimodal.devkit.onnx.OnnxModelWriter.INT64;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import multimodal.devkit.onnx.OnnxModelWriter.Attribute;

/**
 * The colour- and shape-agreeing CLIP fixture ({@link ColourClipFixture}) in the two other export
 * layouts of docs/models.md §2.1, with their real tensor interfaces:
 *
 * <ul>
 *   <li><b>combined</b> ({@code onnx/model.onnx}, Optimum {@code CLIPOnnxConfig}): inputs {@code
 *       input_ids}, {@code pixel_values}, {@code attention_mask}; outputs {@code logits_per_image},
 *       {@code logits_per_text}, {@code text_embeds}, {@code image_embeds}, the embeddings
 *       L2-normalised inside the graph and the logits {@code 100 × cosine} (docs/models.md §7.2);
 *   <li><b>Immich</b> ({@code textual/model.onnx}: {@code text} int32 {@code [1, 77]}; {@code
 *       visual/model.onnx}: {@code image} {@code [1, 3, 224, 224]}; both output {@code embedding}
 *       {@code [1, 512]}, normalised; static batch of 1), with {@code visual/preprocess_cfg.json}
 *       and the tokenizer under {@code textual/} (docs/models.md §7.3).
 * </ul>
 *
 * Same weights and semantics as the split fixture, so all three layouts give the same vectors
 * (after normalisation). Deterministic bytes.
 */
public final class ClipLayoutFixtures {
  public static final String COMBINED = "clip-fixture-combined";
  public static final String IMMICH = "clip-fixture-immich";

  /** ONNX TensorProto.DataType INT32. */
  public static final int INT32 = 6;

  private static final int REDUCE_L2_AXIS = 1;

  private final ColourClipFixture split = new ColourClipFixture();
  private final ObjectMapper json =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  /** Writes both layouts under {@code outDir} ({@value #COMBINED}/, {@value #IMMICH}/). */
  public static Map<String, Path> write(Path outDir) {
    ClipLayoutFixtures fixtures = new ClipLayoutFixtures();
    Path combined = outDir.resolve(COMBINED);
    Path immich = outDir.resolve(IMMICH);
    FixtureModels.writeIfChanged(combined, fixtures.combinedFiles());
    FixtureModels.writeIfChanged(immich, fixtures.immichFiles());
    return Map.of(COMBINED, combined, IMMICH, immich);
  }

  public Map<String, byte[]> combinedFiles() {
    Map<String, byte[]> splitFiles = split.files();
    long[] wordIds = split.wordTokenIds(splitFiles.get("tokenizer.json"));
    OnnxModelWriter graph =
        new OnnxModelWriter("colour_shape_clip_combined")
            .input("input_ids", INT64, "text_batch_size", "sequence_length")
            .input("pixel_values", FLOAT, "image_batch_size", "num_channels", "height", "width")
            .input("attention_mask", INT64, "text_batch_size", "sequence_length")
            .output("logits_per_image", FLOAT, "image_batch_size", "text_batch_size")
            .output("logits_per_text", FLOAT, "text_batch_size", "image_batch_size")
            .output("text_embeds", FLOAT, "text_batch_size", PROJECTION_DIM)
            .output("image_embeds", FLOAT, "image_batch_size", PROJECTION_DIM);
    ColourClipFixture.textNodes(graph, "input_ids", wordIds, "text_raw");
    ColourClipFixture.visionNodes(graph, "pixel_values", "image_raw");
    normalise(graph, "text_raw", "text_embeds");
    normalise(graph, "image_raw", "image_embeds");
    graph
        .floatInitializer("logit_scale", new long[] {1}, new float[] {100f})
        .node(
            "Transpose",
            List.of("text_embeds"),
            List.of("text_embeds_t"),
            Attribute.ints("perm", 1, 0))
        .node("MatMul", List.of("image_embeds", "text_embeds_t"), List.of("cosines"))
        .node("Mul", List.of("cosines", "logit_scale"), List.of("logits_per_image"))
        .node(
            "Transpose",
            List.of("logits_per_image"),
            List.of("logits_per_text"),
            Attribute.ints("perm", 1, 0));
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("onnx/model.onnx", graph.toByteArray());
    files.put("preprocessor_config.json", splitFiles.get("preprocessor_config.json"));
    files.put("tokenizer.json", splitFiles.get("tokenizer.json"));
    files.put("tokenizer_config.json", splitFiles.get("tokenizer_config.json"));
    files.put(
        "config.json", config(ColourClipFixture.VERSION + "-combined", "combined onnx/model.onnx"));
    return files;
  }

  public Map<String, byte[]> immichFiles() {
    Map<String, byte[]> splitFiles = split.files();
    long[] wordIds = split.wordTokenIds(splitFiles.get("tokenizer.json"));
    OnnxModelWriter text =
        new OnnxModelWriter("colour_shape_clip_immich_textual")
            .input("text", INT32, 1, 77)
            .output("embedding", FLOAT, 1, PROJECTION_DIM)
            .node("Cast", List.of("text"), List.of("text_ids"), Attribute.of("to", (long) INT64));
    ColourClipFixture.textNodes(text, "text_ids", wordIds, "raw");
    normalise(text, "raw", "embedding");
    OnnxModelWriter vision =
        new OnnxModelWriter("colour_shape_clip_immich_visual")
            .input("image", FLOAT, 1, 3, CROP, CROP)
            .output("embedding", FLOAT, 1, PROJECTION_DIM);
    ColourClipFixture.visionNodes(vision, "image", "raw");
    normalise(vision, "raw", "embedding");
    Map<String, Object> preprocess = new LinkedHashMap<>();
    preprocess.put("size", List.of(CROP, CROP));
    preprocess.put("mode", "RGB");
    preprocess.put("mean", MEAN);
    preprocess.put("std", STD);
    preprocess.put("interpolation", "bicubic");
    preprocess.put("resize_mode", "shortest");
    preprocess.put("fill_color", 0);
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("textual/model.onnx", text.toByteArray());
    files.put("textual/tokenizer.json", splitFiles.get("tokenizer.json"));
    files.put("textual/tokenizer_config.json", splitFiles.get("tokenizer_config.json"));
    files.put("visual/model.onnx", vision.toByteArray());
    files.put("visual/preprocess_cfg.json", write(preprocess));
    files.put(
        "config.json",
        config(ColourClipFixture.VERSION + "-immich", "Immich/OpenCLIP textual/ + visual/"));
    return files;
  }

  /** {@code out = in / ReduceL2(in, axis 1)} (opset 17: axes as an attribute). */
  private static void normalise(OnnxModelWriter graph, String in, String out) {
    graph
        .node(
            "ReduceL2",
            List.of(in),
            List.of(in + "_norm"),
            Attribute.ints("axes", REDUCE_L2_AXIS),
            Attribute.of("keepdims", 1L))
        .node("Div", List.of(in, in + "_norm"), List.of(out));
  }

  private byte[] config(String version, String layout) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("model_type", "clip");
    config.put("projection_dim", PROJECTION_DIM);
    config.put("fixture", true);
    config.put("model_version", version);
    config.put(
        "description",
        "Generated demo/test fixture, not a trained CLIP: the colour-and-shape fixture in the "
            + layout
            + " layout; both towers embed colour and simple shape only.");
    return write(config);
  }

  private byte[] write(Object value) {
    try {
      return (json.writeValueAsString(value) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
