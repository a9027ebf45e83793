package multimodal.generator.inference;

import static multimodal.generator.inference.OnnxProto.ATTRIBUTE_G;
import static multimodal.generator.inference.OnnxProto.ATTRIBUTE_GRAPHS;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code GraphProto} with its nodes parsed, and the subgraphs of their attributes ({@code If}
 * branches, {@code Loop}/{@code Scan} bodies) parsed the same way. The protos are kept as read, so
 * whatever is not rewritten is written back unchanged.
 */
final class OnnxGraph {
  final UnknownFieldSet proto;
  final List<Node> nodes;

  private OnnxGraph(UnknownFieldSet proto) {
    this.proto = proto;
    this.nodes = OnnxProto.messages(proto, OnnxProto.GRAPH_NODE).stream().map(Node::new).toList();
  }

  static OnnxGraph parse(ByteString bytes) {
    return new OnnxGraph(OnnxProto.parse(bytes));
  }

  List<String> inputNames() {
    return valueInfoNames(OnnxProto.GRAPH_INPUT);
  }

  List<String> outputNames() {
    return valueInfoNames(OnnxProto.GRAPH_OUTPUT);
  }

  /** The {@code ValueInfoProto} of each graph input, by name. */
  Map<String, ByteString> inputs() {
    Map<String, ByteString> inputs = new LinkedHashMap<>();
    for (ByteString input : OnnxProto.messages(proto, OnnxProto.GRAPH_INPUT)) {
      inputs.put(OnnxProto.string(OnnxProto.parse(input), OnnxProto.VALUE_INFO_NAME), input);
    }
    return inputs;
  }

  /** The {@code TensorProto} of each initializer, by name. */
  Map<String, ByteString> initializers() {
    Map<String, ByteString> initializers = new LinkedHashMap<>();
    for (ByteString tensor : OnnxProto.messages(proto, OnnxProto.GRAPH_INITIALIZER)) {
      initializers.put(OnnxProto.string(OnnxProto.parse(tensor), OnnxProto.TENSOR_NAME), tensor);
    }
    return initializers;
  }

  private List<String> valueInfoNames(int field) {
    return OnnxProto.messages(proto, field).stream()
        .map(info -> OnnxProto.string(OnnxProto.parse(info), OnnxProto.VALUE_INFO_NAME))
        .toList();
  }

  /**
   * A {@code NodeProto}. Equality is identity: the two branches of a merged decoder hold
   * byte-identical nodes that are still two nodes.
   */
  static final class Node {
    final UnknownFieldSet proto;
    /** Input names; an omitted optional input is "". */
    final List<String> inputs;
    final List<String> outputs;
    final String opType;
    final String domain;
    /** Subgraphs of the attributes, in attribute order ({@code g}, then each of {@code graphs}). */
    final List<OnnxGraph> subgraphs;

    private Node(ByteString bytes) {
      this.proto = OnnxProto.parse(bytes);
      this.inputs = OnnxProto.strings(proto, OnnxProto.NODE_INPUT);
      this.outputs = OnnxProto.strings(proto, OnnxProto.NODE_OUTPUT);
      this.opType = OnnxProto.string(proto, OnnxProto.NODE_OP_TYPE);
      this.domain = OnnxProto.string(proto, OnnxProto.NODE_DOMAIN);
      List<OnnxGraph> graphs = new ArrayList<>();
      for (ByteString attribute : OnnxProto.messages(proto, OnnxProto.NODE_ATTRIBUTE)) {
        UnknownFieldSet parsed = OnnxProto.parse(attribute);
        for (int field : new int[] {ATTRIBUTE_G, ATTRIBUTE_GRAPHS}) {
          OnnxProto.messages(parsed, field).forEach(graph -> graphs.add(OnnxGraph.parse(graph)));
        }
      }
      this.subgraphs = List.copyOf(graphs);
    }

    /** What the node computes: the proto without its name and doc string. */
    ByteString definition() {
      return OnnxProto.without(proto, OnnxProto.NODE_NAME, OnnxProto.NODE_DOC_STRING).toByteString();
    }

    /** The node with its subgraphs replaced by {@code graphs} (same order as {@link #subgraphs}). */
    UnknownFieldSet withSubgraphs(List<ByteString> graphs) {
      Iterator<ByteString> next = graphs.iterator();
      List<ByteString> attributes = new ArrayList<>();
      for (ByteString attribute : OnnxProto.messages(proto, OnnxProto.NODE_ATTRIBUTE)) {
        UnknownFieldSet parsed = OnnxProto.parse(attribute);
        boolean replaced = false;
        for (int field : new int[] {ATTRIBUTE_G, ATTRIBUTE_GRAPHS}) {
          int count = OnnxProto.messages(parsed, field).size();
          if (count > 0) {
            List<ByteString> bodies = new ArrayList<>();
            for (int i = 0; i < count; i++) {
              bodies.add(next.next());
            }
            parsed = OnnxProto.with(parsed, field, bodies);
            replaced = true;
          }
        }
        attributes.add(replaced ? parsed.toByteString() : attribute);
      }
      return OnnxProto.with(proto, OnnxProto.NODE_ATTRIBUTE, attributes);
    }
  }
}
