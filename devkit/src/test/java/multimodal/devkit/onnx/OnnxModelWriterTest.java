package multimodal.devkit.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import multimodal.onnx.AttributeProto;
import multimodal.onnx.GraphProto;
import multimodal.onnx.ModelProto;
import multimodal.onnx.NodeProto;
import multimodal.onnx.OnnxModels;
import multimodal.onnx.TensorProto;
import multimodal.onnx.TensorShapeProto;
import multimodal.onnx.ValueInfoProto;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxModelWriterTest {
  @TempDir Path temp;

  @Test
  void aFixtureModelFileParsesAsTheModelItWasWrittenAs() throws Exception {
    Path file =
        CaptionFixtureModels.writeCaptionFixture(temp).resolve("onnx/decoder_model_merged.onnx");
    byte[] written = Files.readAllBytes(file);

    ModelProto model;
    try (FileChannel channel = FileChannel.open(file)) {
      MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
      model = OnnxModels.parse(UnsafeByteOperations.unsafeWrap(mapped));
    }

    assertThat(model.getIrVersion()).isEqualTo(OnnxModelWriter.IR_VERSION);
    assertThat(model.getProducerName()).isEqualTo("multimodal-devkit");
    assertThat(model.getOpsetImport(0).getVersion()).isEqualTo(OnnxModelWriter.OPSET);
    GraphProto graph = model.getGraph();
    assertThat(graph.getInputList())
        .extracting(ValueInfoProto::getName)
        .contains("input_ids", "encoder_hidden_states", "use_cache_branch");
    assertThat(graph.getNodeCount()).isPositive();
    for (int i = 0; i < graph.getNodeCount(); i++) {
      NodeProto node = graph.getNode(i);
      assertThat(node.getName()).isEqualTo(node.getOpType().toLowerCase() + "_" + i);
    }
    for (TensorProto tensor : graph.getInitializerList()) {
      long elements = tensor.getDimsList().stream().reduce(1L, (a, b) -> a * b);
      int width = tensor.getDataType() == OnnxModelWriter.FLOAT ? Float.BYTES : Long.BYTES;
      assertThat(tensor.getRawData().size()).as(tensor.getName()).isEqualTo(elements * width);
    }
    assertThat(model.toByteArray())
        .isEqualTo(written); // nothing in the file the classes do not know
  }

  @Test
  void writesWhatItWasGiven() throws Exception {
    OnnxModelWriter body = new OnnxModelWriter("body").output("z", OnnxModelWriter.FLOAT, 2);
    body.node("Identity", List.of("y"), List.of("z"));
    byte[] bytes =
        new OnnxModelWriter("g")
            .input("x", OnnxModelWriter.FLOAT, "batch", 2)
            .output("y", OnnxModelWriter.FLOAT, "batch", 2)
            .floatInitializer("w", new long[] {2}, new float[] {1.5f, -2f})
            .longInitializer("shape", new long[] {2}, new long[] {-1, 2})
            .node(
                "Mul",
                List.of("x", "w"),
                List.of("y"),
                OnnxModelWriter.Attribute.of("alpha", 0.5f),
                OnnxModelWriter.Attribute.of("axis", 3L),
                OnnxModelWriter.Attribute.ints("perm", 1, 0),
                OnnxModelWriter.Attribute.longTensor("value", new long[] {1}, 7),
                OnnxModelWriter.Attribute.graph("then_branch", body))
            .toByteArray();

    GraphProto graph = ModelProto.parseFrom(bytes).getGraph();

    assertThat(graph.getName()).isEqualTo("g");
    NodeProto node = graph.getNode(0);
    assertThat(node.getName()).isEqualTo("mul_0");
    assertThat(node.getAttributeList())
        .extracting(AttributeProto::getType)
        .containsExactly(
            AttributeProto.AttributeType.FLOAT,
            AttributeProto.AttributeType.INT,
            AttributeProto.AttributeType.INTS,
            AttributeProto.AttributeType.TENSOR,
            AttributeProto.AttributeType.GRAPH);
    assertThat(node.getAttribute(0).getF()).isEqualTo(0.5f);
    assertThat(node.getAttribute(1).getI()).isEqualTo(3);
    assertThat(node.getAttribute(2).getIntsList()).containsExactly(1L, 0L);
    assertThat(
            node.getAttribute(3)
                .getT()
                .getRawData()
                .asReadOnlyByteBuffer()
                .order(ByteOrder.LITTLE_ENDIAN)
                .getLong())
        .isEqualTo(7);
    assertThat(node.getAttribute(4).getG().getNode(0).getOpType()).isEqualTo("Identity");
    assertThat(graph.getInput(0).getType().getTensorType().getShape().getDimList())
        .extracting(
            TensorShapeProto.Dimension::getDimParam, TensorShapeProto.Dimension::getDimValue)
        .containsExactly(Tuple.tuple("batch", 0L), Tuple.tuple("", 2L));
    assertThat(
            graph
                .getInitializer(0)
                .getRawData()
                .asReadOnlyByteBuffer()
                .order(ByteOrder.LITTLE_ENDIAN)
                .getFloat(4))
        .isEqualTo(-2f);
    assertThat(graph.getInitializer(1).getDataType()).isEqualTo(TensorProto.DataType.INT64_VALUE);
  }

  @Test
  void anInitializerWhoseValuesDoNotFillItsDimsIsRefused() {
    OnnxModelWriter writer = new OnnxModelWriter("g");
    assertThatThrownBy(() -> writer.floatInitializer("w", new long[] {2, 2}, new float[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("initializer w: 3 values for 4 elements");
  }
}
