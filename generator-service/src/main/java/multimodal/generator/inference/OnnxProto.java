package multimodal.generator.inference;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * ONNX messages ({@code onnx/onnx.proto}) read and edited at the wire level, as protobuf-java
 * {@link UnknownFieldSet}s with the field numbers of docs/models.md §7.7.
 *
 * <p>Why not classes generated from {@code onnx.proto}: none are published on Maven Central, and
 * generating them here would copy a foreign {@code .proto} into the service and add protoc to its
 * build for the dozen fields the decoder rewrite touches. An {@code UnknownFieldSet} keeps every
 * field it is not asked about (doc strings, metadata, training info, fields newer than this code)
 * byte for byte, and with aliasing the large {@code raw_data} of initializers is never copied
 * while parsing. Fields of one number keep their order; fields of different numbers are written
 * in number order, which protobuf readers accept.
 */
final class OnnxProto {
  // ModelProto
  static final int MODEL_GRAPH = 7;
  static final int MODEL_TRAINING_INFO = 20;
  // GraphProto
  static final int GRAPH_NODE = 1;
  static final int GRAPH_NAME = 2;
  static final int GRAPH_INITIALIZER = 5;
  static final int GRAPH_INPUT = 11;
  static final int GRAPH_OUTPUT = 12;
  static final int GRAPH_VALUE_INFO = 13;
  // NodeProto
  static final int NODE_INPUT = 1;
  static final int NODE_OUTPUT = 2;
  static final int NODE_NAME = 3;
  static final int NODE_OP_TYPE = 4;
  static final int NODE_ATTRIBUTE = 5;
  static final int NODE_DOC_STRING = 6;
  static final int NODE_DOMAIN = 7;
  // AttributeProto: a subgraph (g) or subgraphs (graphs)
  static final int ATTRIBUTE_G = 6;
  static final int ATTRIBUTE_GRAPHS = 11;
  // TensorProto
  static final int TENSOR_NAME = 8;
  static final int TENSOR_EXTERNAL_DATA = 13;
  static final int TENSOR_DATA_LOCATION = 14;
  // ValueInfoProto, TypeProto, TypeProto.Tensor, TensorShapeProto, Dimension
  static final int VALUE_INFO_NAME = 1;
  static final int VALUE_INFO_TYPE = 2;
  static final int TYPE_TENSOR = 1;
  static final int TENSOR_TYPE_ELEM_TYPE = 1;
  static final int TENSOR_TYPE_SHAPE = 2;
  static final int SHAPE_DIM = 1;
  static final int DIM_VALUE = 1;
  static final int DIM_PARAM = 2;

  private OnnxProto() {}

  /** Parses one message; length-delimited fields alias {@code bytes} instead of copying it. */
  static UnknownFieldSet parse(ByteString bytes) {
    try {
      CodedInputStream in = bytes.newCodedInput();
      in.enableAliasing(true);
      UnknownFieldSet message = UnknownFieldSet.newBuilder().mergeFrom(in).build();
      in.checkLastTagWas(0);
      return message;
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("not an ONNX protobuf message: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<ByteString> messages(UnknownFieldSet message, int field) {
    return message.hasField(field) ? message.getField(field).getLengthDelimitedList() : List.of();
  }

  static List<String> strings(UnknownFieldSet message, int field) {
    return messages(message, field).stream().map(ByteString::toStringUtf8).toList();
  }

  /** The last value of a string field (protobuf's rule for a repeated singular field), or "". */
  static String string(UnknownFieldSet message, int field) {
    List<String> values = strings(message, field);
    return values.isEmpty() ? "" : values.get(values.size() - 1);
  }

  /** The last value of a varint field, or {@code fallback}. */
  static long varint(UnknownFieldSet message, int field, long fallback) {
    if (!message.hasField(field) || message.getField(field).getVarintList().isEmpty()) {
      return fallback;
    }
    List<Long> values = message.getField(field).getVarintList();
    return values.get(values.size() - 1);
  }

  /** {@code message} with {@code field} replaced by these length-delimited values (none: removed). */
  static UnknownFieldSet with(UnknownFieldSet message, int field, List<ByteString> values) {
    UnknownFieldSet.Builder builder = message.toBuilder().clearField(field);
    if (!values.isEmpty()) {
      builder.addField(field, lengthDelimited(values));
    }
    return builder.build();
  }

  static UnknownFieldSet without(UnknownFieldSet message, int... fields) {
    UnknownFieldSet.Builder builder = message.toBuilder();
    for (int field : fields) {
      builder.clearField(field);
    }
    return builder.build();
  }

  /**
   * Serialises {@code message} with {@code field} set to {@code value} (written last) straight
   * into a direct buffer: one copy of a model of hundreds of MB, outside the heap, which ONNX
   * Runtime reads without copying it again.
   */
  static ByteBuffer serialize(UnknownFieldSet message, int field, UnknownFieldSet value) {
    UnknownFieldSet rest = without(message, field);
    int size = value.getSerializedSize();
    long total = (long) rest.getSerializedSize() + CodedOutputStream.computeTagSize(field)
        + CodedOutputStream.computeUInt32SizeNoTag(size) + size;
    if (total > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("model over 2 GB cannot be written as one protobuf");
    }
    ByteBuffer buffer = ByteBuffer.allocateDirect((int) total);
    try {
      CodedOutputStream out = CodedOutputStream.newInstance(buffer);
      rest.writeTo(out);
      out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
      out.writeUInt32NoTag(size);
      value.writeTo(out);
      out.flush();
      out.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return buffer.rewind();
  }

  /** A {@code ValueInfoProto} with a name and no type (ONNX Runtime infers an output's type). */
  static ByteString valueInfo(String name) {
    return message(VALUE_INFO_NAME, List.of(ByteString.copyFromUtf8(name)));
  }

  /**
   * A tensor {@code ValueInfoProto}.
   *
   * @param dims per axis a size, or -1 for an unknown one (then named by {@code dimNames[i]} if
   *     not empty); {@code null}: unknown rank
   */
  static ByteString valueInfo(String name, int elemType, long[] dims, String[] dimNames) {
    UnknownFieldSet.Builder tensor = UnknownFieldSet.newBuilder()
        .addField(TENSOR_TYPE_ELEM_TYPE, UnknownFieldSet.Field.newBuilder().addVarint(elemType).build());
    if (dims != null) {
      List<ByteString> axes = new ArrayList<>();
      for (int i = 0; i < dims.length; i++) {
        if (dims[i] >= 0) {
          axes.add(varintMessage(DIM_VALUE, dims[i]));
        } else if (dimNames != null && i < dimNames.length && !dimNames[i].isEmpty()) {
          axes.add(message(DIM_PARAM, List.of(ByteString.copyFromUtf8(dimNames[i]))));
        } else {
          axes.add(ByteString.EMPTY); // a Dimension with neither value nor name: unknown size
        }
      }
      tensor.addField(TENSOR_TYPE_SHAPE, lengthDelimited(List.of(message(SHAPE_DIM, axes))));
    }
    ByteString type = message(TYPE_TENSOR, List.of(tensor.build().toByteString()));
    return UnknownFieldSet.newBuilder()
        .addField(VALUE_INFO_NAME, lengthDelimited(List.of(ByteString.copyFromUtf8(name))))
        .addField(VALUE_INFO_TYPE, lengthDelimited(List.of(type)))
        .build()
        .toByteString();
  }

  private static ByteString message(int field, List<ByteString> values) {
    return UnknownFieldSet.newBuilder().addField(field, lengthDelimited(values)).build().toByteString();
  }

  private static ByteString varintMessage(int field, long value) {
    return UnknownFieldSet.newBuilder()
        .addField(field, UnknownFieldSet.Field.newBuilder().addVarint(value).build())
        .build()
        .toByteString();
  }

  private static UnknownFieldSet.Field lengthDelimited(List<ByteString> values) {
    UnknownFieldSet.Field.Builder field = UnknownFieldSet.Field.newBuilder();
    values.forEach(field::addLengthDelimited);
    return field.build();
  }
}
