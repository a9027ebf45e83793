package multimodal.generator.inference.onnx;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import multimodal.onnx.AttributeProto;
import multimodal.onnx.GraphProto;
import multimodal.onnx.NodeProto;
import multimodal.onnx.TensorProto;
import multimodal.onnx.ValueInfoProto;

/**
 * A {@code GraphProto} with its nodes, and the subgraphs of their attributes ({@code If} branches,
 * {@code Loop}/{@code Scan} bodies) wrapped the same way. The protos are kept as read (fields this
 * code does not know included), so whatever is not rewritten is written back unchanged.
 */
final class OnnxGraph {
  final GraphProto proto;
  final List<Node> nodes;

  OnnxGraph(GraphProto proto) {
    this.proto = proto;
    this.nodes = proto.getNodeList().stream().map(Node::new).toList();
  }

  List<String> inputNames() {
    return proto.getInputList().stream().map(ValueInfoProto::getName).toList();
  }

  List<String> outputNames() {
    return proto.getOutputList().stream().map(ValueInfoProto::getName).toList();
  }

  /** The {@code ValueInfoProto} of each graph input, by name. */
  Map<String, ValueInfoProto> inputs() {
    Map<String, ValueInfoProto> inputs = new LinkedHashMap<>();
    proto.getInputList().forEach(input -> inputs.put(input.getName(), input));
    return inputs;
  }

  /** The {@code TensorProto} of each initializer, by name. */
  Map<String, TensorProto> initializers() {
    Map<String, TensorProto> initializers = new LinkedHashMap<>();
    proto.getInitializerList().forEach(tensor -> initializers.put(tensor.getName(), tensor));
    return initializers;
  }

  /**
   * A {@code NodeProto}. Equality is identity: the two branches of a merged decoder hold identical
   * nodes that are still two nodes.
   */
  static final class Node {
    final NodeProto proto;

    /** Input names; an omitted optional input is "". */
    final List<String> inputs;

    final List<String> outputs;
    final String opType;
    final String domain;

    /** Subgraphs of the attributes, in attribute order ({@code g}, then each of {@code graphs}). */
    final List<OnnxGraph> subgraphs;

    private Node(NodeProto proto) {
      this.proto = proto;
      this.inputs = proto.getInputList();
      this.outputs = proto.getOutputList();
      this.opType = proto.getOpType();
      this.domain = proto.getDomain();
      List<OnnxGraph> graphs = new ArrayList<>();
      for (AttributeProto attribute : proto.getAttributeList()) {
        if (attribute.hasG()) {
          graphs.add(new OnnxGraph(attribute.getG()));
        }
        attribute.getGraphsList().forEach(graph -> graphs.add(new OnnxGraph(graph)));
      }
      this.subgraphs = List.copyOf(graphs);
    }

    /** What the node computes: the proto without its name and doc string. */
    NodeProto definition() {
      return proto.toBuilder().clearName().clearDocString().build();
    }

    /**
     * The node with its subgraphs replaced by {@code graphs} (same order as {@link #subgraphs}).
     */
    NodeProto withSubgraphs(List<GraphProto> graphs) {
      Iterator<GraphProto> next = graphs.iterator();
      NodeProto.Builder node = proto.toBuilder();
      for (int i = 0; i < node.getAttributeCount(); i++) {
        AttributeProto attribute = node.getAttribute(i);
        if (!attribute.hasG() && attribute.getGraphsCount() == 0) {
          continue;
        }
        AttributeProto.Builder replaced = attribute.toBuilder();
        if (attribute.hasG()) {
          replaced.setG(next.next());
        }
        for (int j = 0; j < attribute.getGraphsCount(); j++) {
          replaced.setGraphs(j, next.next());
        }
        node.setAttribute(i, replaced);
      }
      return node.build();
    }
  }
}
