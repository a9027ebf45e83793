package multimodal.generator.inference.onnx;

import static multimodal.devkit.onnx.OnnxModelWriter.FLOAT;
import static multimodal.devkit.onnx.OnnxModelWriter.INT64;
import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Collectors;
import multimodal.devkit.onnx.OnnxModelWriter;
import multimodal.generator.inference.generation.GenerationControl;
import multimodal.onnx.ModelProto;
import multimodal.onnx.StringStringEntryProto;
import multimodal.onnx.ValueInfoProto;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrossAttentionSplitTest {
  private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
  private static final String HIDDEN = "encoder_hidden_states";
  private static final List<String> FRONTIER =
      List.of("l0.ckt", "l0.cv.h", "l1.ckt", "l1.cv.h", "enc_mask");
  private static OrtSession.SessionOptions options;

  @TempDir Path dir;

  @BeforeAll
  static void openOptions() {
    options = new OrtSession.SessionOptions();
  }

  @AfterAll
  static void closeOptions() {
    options.close();
  }

  @Test
  void hoistsTheEncoderOnlyNodesOfBothIfBranchesOnce() {
    CrossAttentionSplit split =
        CrossAttentionSplit.of(ByteString.copyFrom(new TinyMergedDecoder().model()), HIDDEN);

    assertThat(split.refusal()).isEmpty();
    // per layer: key MatMul+Add+Reshape+Transpose, key Transpose (kT), value
    // MatMul+Reshape+Transpose;
    // once: the encoder mask from Shape(encoder_hidden_states). The branch-local Constant is
    // copied, not counted.
    assertThat(split.hoistedOps())
        .isEqualTo(
            Map.of(
                "MatMul",
                4,
                "Add",
                2,
                "Reshape",
                4,
                "Transpose",
                6,
                "Shape",
                1,
                "Gather",
                2,
                "Concat",
                1,
                "ConstantOfShape",
                1));
    assertThat(split.summary()).startsWith("42 nodes hoisted (21 distinct");
    assertThat(split.frontier()).containsExactlyInAnyOrderElementsOf(FRONTIER);
  }

  @Test
  void splitDecoderWithPreludeGivesTheOriginalLogitsAndPresentsOverSeveralSteps() throws Exception {
    byte[] model = new TinyMergedDecoder().model();
    try (MergedDecoder decoder = MergedDecoder.load(ENV, write(model), options, HIDDEN, true);
        OrtSession original = ENV.createSession(model, options);
        OnnxTensor hidden = randomHidden(2, 5)) {
      assertThat(decoder.split()).isTrue();
      assertThat(decoder.session(true).getInputNames())
          .doesNotContain(HIDDEN)
          .containsAll(FRONTIER)
          .contains("input_ids", "use_cache_branch", "past_key_values.1.value");

      Map<String, float[]> expected = decode(original, Map.of(HIDDEN, hidden));
      Map<String, float[]> actual;
      try (GenerationControl control = GenerationControl.unlimited();
          MergedDecoder.FixedInputs fixed = decoder.fixedInputs(hidden, true, control)) {
        assertThat(fixed.tensors().keySet()).containsExactlyInAnyOrderElementsOf(FRONTIER);
        actual = decode(decoder.session(true), fixed.tensors());
      }

      assertThat(actual.keySet())
          .isEqualTo(expected.keySet())
          .hasSize(4 * (1 + 2 * TinyMergedDecoder.LAYERS));
      expected.forEach(
          (name, values) -> {
            float[] got = actual.get(name);
            assertThat(got).as(name).hasSameSizeAs(values);
            for (int i = 0; i < values.length; i++) {
              assertThat(got[i])
                  .as(name + "[" + i + "]")
                  .isCloseTo(values[i], org.assertj.core.data.Offset.offset(1e-5f));
            }
          });
    }
  }

  @Test
  void recomputeModeAndTurnedOffSplitRunTheOriginalGraph() throws Exception {
    Path file = write(new TinyMergedDecoder().model());
    try (MergedDecoder split = MergedDecoder.load(ENV, file, options, HIDDEN, true);
        MergedDecoder off = MergedDecoder.load(ENV, file, options, HIDDEN, false)) {
      assertThat(split.session(false).getInputNames())
          .contains(HIDDEN)
          .doesNotContainAnyElementsOf(FRONTIER);
      assertThat(off.split()).isFalse();
      assertThat(off.description()).contains("turned off");
      assertThat(off.session(true)).isSameAs(off.session(false));
      assertThat(off.session(true).getInputNames()).contains(HIDDEN);
    }
  }

  @Test
  void aNameComputedDifferentlyInTheTwoBranchesLeavesTheDecoderAsExported() throws Exception {
    byte[] model = TinyMergedDecoder.divergent().model();
    assertThat(CrossAttentionSplit.of(ByteString.copyFrom(model), HIDDEN).refusal())
        .hasValueSatisfying(
            reason -> assertThat(reason).contains("ambiguous", "l0.ck.mm", "two different ways"));
    try (MergedDecoder decoder = MergedDecoder.load(ENV, write(model), options, HIDDEN, true)) {
      assertThat(decoder.split()).isFalse();
      assertThat(decoder.description()).contains("not split: ambiguous");
      assertThat(decoder.session(true).getInputNames()).contains(HIDDEN);
    }
  }

  @Test
  void aDecoderWithNothingToHoistIsLeftAsExported() {
    byte[] model =
        new OnnxModelWriter("nothing_to_hoist")
            .input("input_ids", INT64, "batch_size", 1)
            .input(HIDDEN, FLOAT, "batch_size", 4)
            .output("logits", FLOAT, "batch_size", 4)
            .node(
                "Cast",
                List.of("input_ids"),
                List.of("ids"),
                OnnxModelWriter.Attribute.of("to", (long) FLOAT))
            .node("Add", List.of(HIDDEN, "ids"), List.of("logits"))
            .toByteArray();

    assertThat(CrossAttentionSplit.of(ByteString.copyFrom(model), HIDDEN).refusal())
        .hasValueSatisfying(reason -> assertThat(reason).startsWith("nothing to hoist"));
  }

  @Test
  void fieldsTheRewriteDoesNotKnowAreKept() throws Exception {
    ModelProto model = ModelProto.parseFrom(new TinyMergedDecoder().model());
    model =
        model.toBuilder()
            .addMetadataProps(StringStringEntryProto.newBuilder().setKey("k").setValue("v"))
            .setGraph(model.getGraph().toBuilder().setDocString("graph doc"))
            .build();
    // field 999, a varint 42: newer than this code's onnx.proto
    ByteString withUnknown =
        model.toByteString().concat(ByteString.copyFrom(new byte[] {(byte) 0xb8, 0x3e, 42}));

    CrossAttentionSplit split = CrossAttentionSplit.of(withUnknown, HIDDEN);
    Map<String, ValueInfoProto> infos =
        split.frontier().stream()
            .collect(
                Collectors.toMap(
                    name -> name, name -> MergedDecoder.valueInfo(name, FLOAT, null, null)));
    ByteBuffer decoder = split.decoder(infos);
    byte[] bytes = new byte[decoder.remaining()];
    decoder.get(bytes);
    ModelProto rewritten = ModelProto.parseFrom(bytes);

    assertThat(rewritten.getMetadataPropsList()).isEqualTo(model.getMetadataPropsList());
    assertThat(rewritten.getOpsetImportList()).isEqualTo(model.getOpsetImportList());
    assertThat(rewritten.getGraph().getDocString()).isEqualTo("graph doc");
    assertThat(bytes)
        .endsWith((byte) 0xb8, (byte) 0x3e, (byte) 42); // the unknown field, written last
  }

  private Path write(byte[] model) throws Exception {
    Path file = dir.resolve("decoder_model_merged.onnx");
    Files.write(file, model);
    return file;
  }

  private static OnnxTensor randomHidden(int rows, int tokens) throws OrtException {
    SplittableRandom random = new SplittableRandom(3);
    float[] values = new float[rows * tokens * TinyMergedDecoder.WIDTH];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextDouble() * 2 - 1);
    }
    return OrtTensors.floatTensor(ENV, values, rows, tokens, TinyMergedDecoder.WIDTH);
  }

  /**
   * Four cached steps (three prompt tokens, then one token a step, presents fed back as pasts);
   * every output of every step, keyed {@code step/name}.
   */
  private static Map<String, float[]> decode(OrtSession decoder, Map<String, OnnxTensor> fixed)
      throws OrtException {
    Map<String, float[]> outputs = new TreeMap<>();
    Map<String, OnnxTensor> pasts = new HashMap<>();
    for (int l = 0; l < TinyMergedDecoder.LAYERS; l++) {
      for (String kind : List.of("key", "value")) {
        pasts.put(
            "past_key_values." + l + "." + kind,
            OrtTensors.empty(ENV, 2, TinyMergedDecoder.HEADS, 0, TinyMergedDecoder.HEAD_DIM));
      }
    }
    long[][][] tokens = {{{1, 2, 3}, {4, 5, 6}}, {{7}, {8}}, {{9}, {10}}, {{11}, {12}}};
    for (int step = 0; step < tokens.length; step++) {
      Map<String, OnnxTensor> next = new HashMap<>();
      try (OnnxTensor ids = OrtTensors.longTensor(ENV, tokens[step]);
          OnnxTensor flag = OnnxTensor.createTensor(ENV, new boolean[] {step > 0})) {
        Map<String, OnnxTensor> inputs = new HashMap<>(fixed);
        inputs.putAll(pasts);
        inputs.put("input_ids", ids);
        inputs.put("use_cache_branch", flag);
        try (OrtSession.Result result = decoder.run(inputs)) {
          for (Map.Entry<String, OnnxValue> output : result) {
            OnnxTensor tensor = (OnnxTensor) output.getValue();
            FloatBuffer buffer = tensor.getFloatBuffer();
            float[] values = new float[buffer.remaining()];
            buffer.get(values);
            outputs.put(step + "/" + output.getKey(), values);
            if (output.getKey().startsWith("present.")) {
              next.put(
                  output.getKey().replace("present.", "past_key_values."),
                  OrtTensors.floatTensor(ENV, values, tensor.getInfo().getShape()));
            }
          }
        }
      } finally {
        pasts.values().forEach(OnnxTensor::close);
      }
      pasts = next;
    }
    pasts.values().forEach(OnnxTensor::close);
    return outputs;
  }
}
