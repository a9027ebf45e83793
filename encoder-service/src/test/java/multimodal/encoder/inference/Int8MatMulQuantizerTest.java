package multimodal.encoder.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Collectors;
import multimodal.devkit.onnx.OnnxModelWriter;
import multimodal.devkit.onnx.OnnxModelWriter.Attribute;
import multimodal.onnx.ModelProto;
import multimodal.onnx.NodeProto;
import multimodal.onnx.OperatorSetIdProto;
import multimodal.onnx.TensorProto;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Int8MatMulQuantizerTest {
  private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

  /**
   * x[2,4]·w1[4,5] → h; h·y (two activations) → z; Gemm(h, w2[3,5]ᵀ, c) → g; out = z + g. The first
   * MatMul and the Gemm have constant weights, the second MatMul has none.
   */
  private static ModelProto tinyGraph(float[] w1, float[] w2) {
    return new OnnxModelWriter("tiny")
        .input("x", OnnxModelWriter.FLOAT, 2, 4)
        .input("y", OnnxModelWriter.FLOAT, 5, 3)
        .output("out", OnnxModelWriter.FLOAT, 2, 3)
        .floatInitializer("w1", new long[] {4, 5}, w1)
        .floatInitializer("w2", new long[] {3, 5}, w2)
        .floatInitializer("c", new long[] {3}, new float[] {0.5f, -1f, 2f})
        .node("MatMul", List.of("x", "w1"), List.of("h"))
        .node("MatMul", List.of("h", "y"), List.of("z"))
        .node("Gemm", List.of("h", "w2", "c"), List.of("g"), Attribute.of("transB", 1L))
        .node("Add", List.of("z", "g"), List.of("out"))
        .model();
  }

  private static float[] gaussian(SplittableRandom random, int n) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) ((random.nextDouble() * 2 - 1) * 1.5);
    }
    return values;
  }

  @Test
  void rewritesConstantWeightProductsIntoTheInt8Chain() {
    SplittableRandom random = new SplittableRandom(1);
    Int8MatMulQuantizer.Result result =
        Int8MatMulQuantizer.quantize(tinyGraph(gaussian(random, 20), gaussian(random, 15)));

    assertThat(result.quantized()).isEqualTo(2);
    assertThat(result.keptFloat()).isEqualTo(1);
    List<NodeProto> nodes = result.model().getGraph().getNodeList();
    assertThat(nodes.stream().map(NodeProto::getOpType))
        .containsExactly(
            "DynamicQuantizeLinear",
            "MatMulInteger",
            "Cast",
            "Mul",
            "Mul",
            "MatMul",
            "DynamicQuantizeLinear",
            "MatMulInteger",
            "Cast",
            "Mul",
            "Mul",
            "Add",
            "Add");
    // The first chain: x quantised, multiplied by w1's int8 copy with x's zero point, rescaled.
    assertThat(nodes.get(0).getInputList()).containsExactly("x");
    assertThat(nodes.get(1).getInputList())
        .containsExactly(
            nodes.get(0).getOutput(0), "w1_int8", nodes.get(0).getOutput(2)); // no weight zero pt
    assertThat(nodes.get(2).getAttribute(0).getI()).isEqualTo(TensorProto.DataType.FLOAT_VALUE);
    assertThat(nodes.get(3).getInputList())
        .containsExactly(nodes.get(0).getOutput(1), "w1_int8_scale");
    assertThat(nodes.get(4).getOutputList()).containsExactly("h");
    assertThat(nodes.get(5).getInputList()).containsExactly("h", "y"); // untouched
    // The Gemm: its bias added after the rescale, into the Gemm's own output.
    assertThat(nodes.get(9).getInputList()).contains("w2_t_int8_scale");
    assertThat(nodes.get(11).getInputList()).containsExactly(nodes.get(10).getOutput(0), "c");
    assertThat(nodes.get(11).getOutputList()).containsExactly("g");

    Map<String, TensorProto> initializers =
        result.model().getGraph().getInitializerList().stream()
            .collect(Collectors.toMap(TensorProto::getName, Function.identity()));
    assertThat(initializers)
        .containsOnlyKeys("c", "w1_int8", "w1_int8_scale", "w2_t_int8", "w2_t_int8_scale");
    assertThat(initializers.get("w1_int8").getDataType())
        .isEqualTo(TensorProto.DataType.INT8_VALUE);
    assertThat(initializers.get("w1_int8").getDimsList()).containsExactly(4L, 5L);
    assertThat(initializers.get("w2_t_int8").getDimsList()).containsExactly(5L, 3L); // transposed
    assertThat(initializers.get("w2_t_int8_scale").getDimsList()).containsExactly(3L);
  }

  @Test
  void quantisesEachColumnSymmetricallyToPlusMinus127() {
    // Column 0 spans ±2 (scale 2/127), column 1 is all zero (exact with any scale).
    TensorProto weight =
        TensorProto.newBuilder()
            .setName("w")
            .setDataType(TensorProto.DataType.FLOAT_VALUE)
            .addDims(3)
            .addDims(2)
            .addAllFloatData(List.of(2f, 0f, -1f, 0f, -2f, 0f))
            .build();
    Int8MatMulQuantizer.ColumnQuantized q = Int8MatMulQuantizer.ColumnQuantized.of(weight, false);
    assertThat(q.scale()).containsExactly(2f / 127, 1f);
    assertThat(q.values()).containsExactly(127, 0, -64, 0, -127, 0);
    // Stored [N, K] (transB): the same values, read transposed.
    TensorProto transposed =
        weight.toBuilder()
            .clearDims()
            .addDims(2)
            .addDims(3)
            .clearFloatData()
            .addAllFloatData(List.of(2f, -1f, -2f, 0f, 0f, 0f))
            .build();
    Int8MatMulQuantizer.ColumnQuantized t =
        Int8MatMulQuantizer.ColumnQuantized.of(transposed, true);
    assertThat(t.values()).containsExactly(q.values());
    assertThat(t.scale()).containsExactly(q.scale());
  }

  @Test
  void int8GraphComputesWhatTheFloatGraphComputes(@TempDir Path tmp) throws Exception {
    SplittableRandom random = new SplittableRandom(7);
    ModelProto fp32 = tinyGraph(gaussian(random, 20), gaussian(random, 15));
    ModelProto int8 = Int8MatMulQuantizer.quantize(fp32).model();
    float[] x = gaussian(random, 8);
    float[] y = gaussian(random, 15);

    float[][] expected = run(fp32, x, y, null);
    Path optimised = tmp.resolve("optimised.onnx");
    float[][] actual = run(int8, x, y, optimised);

    double maxAbs = 0;
    for (float[] row : expected) {
      for (float v : row) {
        maxAbs = Math.max(maxAbs, Math.abs(v));
      }
    }
    for (int r = 0; r < expected.length; r++) {
      for (int c = 0; c < expected[r].length; c++) {
        assertThat((double) actual[r][c]).isCloseTo(expected[r][c], within(0.03 * maxAbs));
      }
    }
    // ONNX Runtime fused each chain into its int8 kernel: the point of the rewrite's form.
    ModelProto fused = ModelProto.parseFrom(Files.readAllBytes(optimised));
    List<String> ops = fused.getGraph().getNodeList().stream().map(NodeProto::getOpType).toList();
    assertThat(ops).contains("DynamicQuantizeMatMul").doesNotContain("MatMulInteger", "Cast");
  }

  @Test
  void refusesAModelBelowOpset11() {
    ModelProto old =
        tinyGraph(new float[20], new float[15]).toBuilder()
            .clearOpsetImport()
            .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(10))
            .build();
    assertThatThrownBy(() -> Int8MatMulQuantizer.quantize(old))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("opset 11");
  }

  private static float[][] run(ModelProto model, float[] x, float[] y, Path optimisedTo)
      throws Exception {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      if (optimisedTo != null) {
        options.setOptimizedModelFilePath(optimisedTo.toString());
      }
      try (OrtSession session = ENV.createSession(model.toByteArray(), options);
          OnnxTensor xs = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(x), new long[] {2, 4});
          OnnxTensor ys = OnnxTensor.createTensor(ENV, FloatBuffer.wrap(y), new long[] {5, 3});
          OrtSession.Result result = session.run(Map.of("x", xs, "y", ys))) {
        return (float[][]) result.get(0).getValue();
      }
    }
  }
}
