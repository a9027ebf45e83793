package multimodal.generator.inference.onnx;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import multimodal.onnx.GraphProto;
import multimodal.onnx.ModelProto;
import multimodal.onnx.NodeProto;
import multimodal.onnx.OnnxModels;
import multimodal.onnx.TensorProto;
import multimodal.onnx.ValueInfoProto;

/**
 * Splits a merged decoder ({@code decoder_model_merged.onnx}) whose KV cache holds self-attention
 * only into (a) a <em>prelude</em>: {@code encoder_hidden_states} in, the decoder's encoder-only
 * computations ({@link EncoderOnlyNodes}: the cross-attention keys and values of every layer) out,
 * run once per image batch; and (b) the decoder without them, reading those values as inputs.
 * Together they compute what the original does, with the cross-attention projections done once
 * instead of on every step. Works on the main graph and inside {@code If} branches (the real merged
 * export is {@code If(use_cache_branch)} over two complete decoders reading outer-scope names); a
 * value both branches compute the same way becomes one input.
 *
 * <p>{@link #refusal()} says why a decoder is left as it is: nothing to hoist, a name computed in
 * two different ways, weights in external data files, no encoder input.
 */
final class CrossAttentionSplit {
  static final String PRELUDE_GRAPH = "cross_attention_prelude";

  private final ModelProto model;
  private final OnnxGraph main;
  private final String encoderInput;
  private final EncoderOnlyNodes nodes;
  private final List<String> frontier;
  private final String refusal;

  private CrossAttentionSplit(ModelProto model, OnnxGraph main, String encoderInput) {
    this.model = model;
    this.main = main;
    this.encoderInput = encoderInput;
    this.nodes =
        main.inputNames().contains(encoderInput) ? new EncoderOnlyNodes(main, encoderInput) : null;
    this.frontier =
        nodes == null
            ? List.of()
            : nodes.frontier().stream().filter(name -> !name.equals(encoderInput)).toList();
    this.refusal = findRefusal();
  }

  /**
   * Analyses a serialised {@code ModelProto}; {@code model} is aliased, not copied (a memory-mapped
   * file stays off the heap), and may be up to 2 GiB ({@link OnnxModels#parse}).
   */
  static CrossAttentionSplit of(ByteString model, String encoderInput) {
    ModelProto parsed = OnnxModels.parse(model);
    if (!parsed.hasGraph()) {
      throw new IllegalArgumentException("not an ONNX model: no graph");
    }
    return new CrossAttentionSplit(parsed, new OnnxGraph(parsed.getGraph()), encoderInput);
  }

  private String findRefusal() {
    if (nodes == null) {
      return "the decoder has no input " + encoderInput;
    }
    if (usesExternalData(main)) {
      return "the decoder keeps weights in external data files";
    }
    if (!nodes.problems().isEmpty()) {
      return "ambiguous: " + nodes.problems().get(0);
    }
    if (frontier.isEmpty()) {
      return "nothing to hoist: no computation of the decoder depends on "
          + encoderInput
          + " and constants alone";
    }
    return null;
  }

  /** Why the decoder is not split; empty when it can be. */
  Optional<String> refusal() {
    return Optional.ofNullable(refusal);
  }

  /** The prelude's outputs = the rewritten decoder's new inputs. */
  List<String> frontier() {
    return frontier;
  }

  /** The hoisted computations by op type, each counted once (not once per branch). */
  Map<String, Integer> hoistedOps() {
    Map<String, Integer> ops = new TreeMap<>();
    nodes.preludeNodes().stream()
        .filter(node -> nodes.kind(node) == EncoderOnlyNodes.Kind.ENCODER)
        .forEach(node -> ops.merge(node.opType, 1, Integer::sum));
    return ops;
  }

  /** What was hoisted, for the load log. */
  String summary() {
    Map<String, Integer> ops = hoistedOps();
    int distinct = ops.values().stream().mapToInt(Integer::intValue).sum();
    return String.format(
        "%d nodes hoisted (%d distinct: %s) into a prelude with %d outputs",
        nodes.hoistedCount(), distinct, ops, frontier.size());
  }

  /** The prelude model: {@code encoder_input} → the frontier values (types left to inference). */
  ByteBuffer prelude() {
    requireSplit();
    GraphProto.Builder graph = GraphProto.newBuilder().setName(PRELUDE_GRAPH);
    Set<String> nodeNames = new HashSet<>();
    for (OnnxGraph.Node node : nodes.preludeNodes()) {
      String name = node.proto.getName();
      NodeProto proto = node.proto;
      if (!name.isEmpty() && !nodeNames.add(name)) { // the same name in two branches, another node
        String unique = name + "_prelude" + graph.getNodeCount();
        nodeNames.add(unique);
        proto = proto.toBuilder().setName(unique).build();
      }
      graph.addNode(proto);
    }
    graph.addAllInitializer(nodes.preludeInitializers().values());
    graph.addInput(main.inputs().get(encoderInput));
    // no type: ONNX Runtime infers each output's type
    frontier.forEach(name -> graph.addOutput(ValueInfoProto.newBuilder().setName(name)));
    return serialize(model.toBuilder().clearTrainingInfo().setGraph(graph).build());
  }

  /**
   * The decoder without the hoisted nodes (and the constants and initializers only they read), with
   * the frontier values as inputs after the original ones; {@code encoder_input} stays an input
   * only if something still reads it.
   *
   * @param inputInfos the {@code ValueInfoProto} of each frontier value (from the prelude's
   *     inferred output types)
   */
  ByteBuffer decoder(Map<String, ValueInfoProto> inputInfos) {
    requireSplit();
    Set<OnnxGraph.Node> removed = Collections.newSetFromMap(new IdentityHashMap<>());
    Set<String> used = used(main, removed);
    for (boolean changed = true; changed; ) { // drop hoisted nodes, then constants nobody reads
      changed = false;
      for (OnnxGraph.Node node : allNodes(main)) {
        if (removed.contains(node)) {
          continue;
        }
        EncoderOnlyNodes.Kind kind = nodes.kind(node);
        boolean unread = node.outputs.stream().noneMatch(used::contains);
        if (kind == EncoderOnlyNodes.Kind.ENCODER
            || (kind == EncoderOnlyNodes.Kind.CONSTANT && unread)) {
          removed.add(node);
          changed = true;
        }
      }
      used = used(main, removed);
    }
    Set<String> removedValues = new HashSet<>();
    removed.forEach(node -> removedValues.addAll(node.outputs));

    GraphProto.Builder graph = rewrite(main, removed, removedValues, used).toBuilder().clearInput();
    Set<String> initializers = main.initializers().keySet();
    Set<String> read = used;
    main.inputs()
        .forEach(
            (name, info) -> {
              boolean unread = !read.contains(name);
              if (!(unread && (name.equals(encoderInput) || initializers.contains(name)))) {
                graph.addInput(info);
              }
            });
    for (String name : frontier) {
      ValueInfoProto info = inputInfos.get(name);
      if (info == null) {
        throw new IllegalArgumentException("no type for the new decoder input " + name);
      }
      graph.addInput(info);
    }
    return serialize(model.toBuilder().setGraph(graph).build());
  }

  private static GraphProto rewrite(
      OnnxGraph graph, Set<OnnxGraph.Node> removed, Set<String> removedValues, Set<String> used) {
    GraphProto.Builder proto =
        graph.proto.toBuilder().clearNode().clearInitializer().clearValueInfo();
    for (OnnxGraph.Node node : graph.nodes) {
      if (removed.contains(node)) {
        continue;
      }
      if (node.subgraphs.isEmpty()) {
        proto.addNode(node.proto);
      } else {
        List<GraphProto> bodies = new ArrayList<>();
        for (OnnxGraph subgraph : node.subgraphs) {
          bodies.add(rewrite(subgraph, removed, removedValues, used));
        }
        proto.addNode(node.withSubgraphs(bodies));
      }
    }
    graph
        .initializers()
        .forEach(
            (name, tensor) -> {
              if (used.contains(name)) {
                proto.addInitializer(tensor);
              }
            });
    graph.proto.getValueInfoList().stream()
        .filter(info -> !removedValues.contains(info.getName()))
        .forEach(proto::addValueInfo);
    return proto.build();
  }

  /** Names read by the nodes that stay, and every graph's outputs, in all graphs. */
  private static Set<String> used(OnnxGraph graph, Set<OnnxGraph.Node> removed) {
    Set<String> used = new HashSet<>(graph.outputNames());
    for (OnnxGraph.Node node : graph.nodes) {
      if (!removed.contains(node)) {
        used.addAll(node.inputs);
        node.subgraphs.forEach(subgraph -> used.addAll(used(subgraph, removed)));
      }
    }
    return used;
  }

  private static List<OnnxGraph.Node> allNodes(OnnxGraph graph) {
    List<OnnxGraph.Node> all = new ArrayList<>();
    for (OnnxGraph.Node node : graph.nodes) {
      all.add(node);
      node.subgraphs.forEach(subgraph -> all.addAll(allNodes(subgraph)));
    }
    return all;
  }

  private static boolean usesExternalData(OnnxGraph graph) {
    for (TensorProto tensor : graph.initializers().values()) {
      boolean external = tensor.getDataLocation() == TensorProto.DataLocation.EXTERNAL;
      if (external || tensor.getExternalDataCount() > 0) {
        return true;
      }
    }
    return graph.nodes.stream()
        .flatMap(node -> node.subgraphs.stream())
        .anyMatch(CrossAttentionSplit::usesExternalData);
  }

  /**
   * Serialises {@code model} straight into a direct buffer: one copy of a model of hundreds of MB,
   * outside the heap, which ONNX Runtime reads without copying it again.
   */
  private static ByteBuffer serialize(ModelProto model) {
    int size = model.getSerializedSize();
    if (size < 0) { // the int overflowed
      throw new IllegalArgumentException("model over 2 GB cannot be written as one protobuf");
    }
    ByteBuffer buffer = ByteBuffer.allocateDirect(size);
    try {
      CodedOutputStream out = CodedOutputStream.newInstance(buffer);
      model.writeTo(out);
      out.flush();
      out.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException(e); // writing to memory of the computed size: cannot happen
    }
    return buffer.rewind();
  }

  private void requireSplit() {
    if (refusal != null) {
      throw new IllegalStateException("the decoder cannot be split: " + refusal);
    }
  }
}
