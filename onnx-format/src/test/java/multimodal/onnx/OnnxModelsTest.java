package multimodal.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class OnnxModelsTest {
  @Test
  void aSmallGraphSurvivesTheRoundTrip() {
    ModelProto model = addOne(graph("add_one"));

    ModelProto parsed = OnnxModels.parse(model.toByteString());

    assertThat(parsed).isEqualTo(model);
    GraphProto graph = parsed.getGraph();
    assertThat(graph.getNodeList()).extracting(NodeProto::getOpType).containsExactly("Add");
    assertThat(graph.getInput(0).getType().getTensorType().getShape().getDim(0).getDimParam())
        .isEqualTo("batch");
    assertThat(graph.getInitializer(0).getName()).isEqualTo("one");
    assertThat(
            graph
                .getInitializer(0)
                .getRawData()
                .asReadOnlyByteBuffer()
                .order(ByteOrder.LITTLE_ENDIAN)
                .getFloat())
        .isEqualTo(1f);
  }

  @Test
  void rawDataSharesTheInputsMemory() {
    ModelProto model = addOne(graph("add_one"));
    ByteBuffer direct = ByteBuffer.allocateDirect(model.getSerializedSize());
    direct.put(model.toByteArray()).flip();

    ByteString rawData =
        OnnxModels.parse(UnsafeByteOperations.unsafeWrap(direct))
            .getGraph()
            .getInitializer(0)
            .getRawData();

    // a copy would be an array-backed ByteString; an alias of a direct buffer is not
    assertThat(rawData.asReadOnlyByteBuffer().isDirect()).isTrue();
  }

  @Test
  void fieldsThisSchemaDoesNotKnowAreKept() {
    byte[] known = addOne(graph("add_one")).toByteArray();
    byte[] withUnknown = new byte[known.length + 3];
    System.arraycopy(known, 0, withUnknown, 0, known.length);
    withUnknown[known.length] = (byte) (99 << 3); // field 99, varint
    withUnknown[known.length + 1] = (byte) 0x96;
    withUnknown[known.length + 2] = 0x01;

    ModelProto parsed = OnnxModels.parse(ByteString.copyFrom(withUnknown));

    assertThat(parsed.toByteArray()).isEqualTo(withUnknown);
  }

  @Test
  void subgraphsNestedDeeperThanProtobufsDefaultLimitParse() {
    ModelProto model = nested(60); // 60 x 3 + 1 messages deep, over the default of 100

    assertThatThrownBy(() -> ModelProto.parseFrom(model.toByteString()))
        .hasMessageContaining("nesting");
    assertThat(OnnxModels.parse(model.toByteString())).isEqualTo(model);
  }

  @Test
  void nestingOverTheLimitIsRefusedWithAClearError() {
    ByteString tooDeep = nested(OnnxModels.RECURSION_LIMIT / 3 + 1).toByteString();

    assertThatThrownBy(() -> OnnxModels.parse(tooDeep))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not an ONNX model: ")
        .hasMessageContaining("nesting");
  }

  @Test
  void bytesThatAreNoModelAreRefused() {
    assertThatThrownBy(() -> OnnxModels.parse(ByteString.copyFromUtf8("not protobuf at all")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not an ONNX model: ");
  }

  /** {@code If} nodes {@code depth} deep, the innermost branch an Identity of the input. */
  private static ModelProto nested(int depth) {
    GraphProto body =
        graph("innermost").toBuilder()
            .addNode(NodeProto.newBuilder().setOpType("Identity").addInput("x").addOutput("y"))
            .build();
    for (int level = 0; level < depth; level++) {
      body =
          graph("level" + level).toBuilder()
              .addNode(
                  NodeProto.newBuilder()
                      .setOpType("If")
                      .addInput("cond")
                      .addOutput("y")
                      .addAttribute(
                          AttributeProto.newBuilder()
                              .setName("then_branch")
                              .setType(AttributeProto.AttributeType.GRAPH)
                              .setG(body)))
              .build();
    }
    return ModelProto.newBuilder().setIrVersion(8).setGraph(body).build();
  }

  private static GraphProto graph(String name) {
    return GraphProto.newBuilder().setName(name).build();
  }

  /** y = x + 1 over a float vector of symbolic length. */
  private static ModelProto addOne(GraphProto empty) {
    TypeProto vector =
        TypeProto.newBuilder()
            .setTensorType(
                TypeProto.Tensor.newBuilder()
                    .setElemType(TensorProto.DataType.FLOAT_VALUE)
                    .setShape(
                        TensorShapeProto.newBuilder()
                            .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))))
            .build();
    ByteBuffer one =
        ByteBuffer.allocate(Float.BYTES).order(ByteOrder.LITTLE_ENDIAN).putFloat(1f).flip();
    GraphProto graph =
        empty.toBuilder()
            .addNode(
                NodeProto.newBuilder()
                    .setOpType("Add")
                    .addInput("x")
                    .addInput("one")
                    .addOutput("y"))
            .addInitializer(
                TensorProto.newBuilder()
                    .setName("one")
                    .setDataType(TensorProto.DataType.FLOAT_VALUE)
                    .addDims(1)
                    .setRawData(ByteString.copyFrom(one)))
            .addInput(ValueInfoProto.newBuilder().setName("x").setType(vector))
            .addOutput(ValueInfoProto.newBuilder().setName("y").setType(vector))
            .build();
    return ModelProto.newBuilder()
        .setIrVersion(8)
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(17))
        .setGraph(graph)
        .build();
  }
}
