package multimodal.generator.inference;

import static multimodal.generator.inference.OnnxProto.GRAPH_INITIALIZER;
import static multimodal.generator.inference.OnnxProto.GRAPH_INPUT;
import static multimodal.generator.inference.OnnxProto.GRAPH_NODE;
import static multimodal.generator.inference.OnnxProto.GRAPH_OUTPUT;
import static multimodal.generator.inference.OnnxProto.GRAPH_VALUE_INFO;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
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

/**
 * Splits a merged decoder ({@code decoder_model_merged.onnx}) whose KV cache holds self-attention
 * only into (a) a <em>prelude</em>: {@code encoder_hidden_states} in, the decoder's encoder-only
 * computations ({@link EncoderOnlyNodes}: the cross-attention keys and values of every layer) out,
 * run once per image batch; and (b) the decoder without them, reading those values as inputs.
 * Together they compute what the original does, with the cross-attention projections done once
 * instead of on every step. Works on the main graph and inside {@code If} branches (the real
 * merged export is {@code If(use_cache_branch)} over two complete decoders reading outer-scope
 * names); a value both branches compute the same way becomes one input.
 *
 * <p>{@link #refusal()} says why a decoder is left as it is: nothing to hoist, a name computed in
 * two different ways, weights in external data files, no encoder input.
 */
final class CrossAttentionSplit {
  static final String PRELUDE_GRAPH = "cross_attention_prelude";

  private final UnknownFieldSet model;
  private final OnnxGraph main;
  private final String encoderInput;
  private final EncoderOnlyNodes nodes;
  private final List<String> frontier;
  private final String refusal;

  private CrossAttentionSplit(UnknownFieldSet model, OnnxGraph main, String encoderInput) {
    this.model = model;
    this.main = main;
    this.encoderInput = encoderInput;
    this.nodes = main.inputNames().contains(encoderInput) ? new EncoderOnlyNodes(main, encoderInput) : null;
    this.frontier = nodes == null ? List.of()
        : nodes.frontier().stream().filter(name -> !name.equals(encoderInput)).toList();
    this.refusal = findRefusal();
  }

  /**
   * Analyses a serialised {@code ModelProto}; {@code model} is aliased, not copied (a memory-mapped
   * file stays off the heap).
   */
  static CrossAttentionSplit of(ByteString model, String encoderInput) {
    UnknownFieldSet parsed = OnnxProto.parse(model);
    List<ByteString> graphs = OnnxProto.messages(parsed, OnnxProto.MODEL_GRAPH);
    if (graphs.isEmpty()) {
      throw new IllegalArgumentException("not an ONNX model: no graph");
    }
    return new CrossAttentionSplit(parsed, OnnxGraph.parse(graphs.get(graphs.size() - 1)), encoderInput);
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
      return "nothing to hoist: no computation of the decoder depends on " + encoderInput
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
    return String.format("%d nodes hoisted (%d distinct: %s) into a prelude with %d outputs",
        nodes.hoistedCount(), distinct, ops, frontier.size());
  }

  /** The prelude model: {@code encoder_input} → the frontier values (types left to inference). */
  ByteBuffer prelude() {
    requireSplit();
    List<ByteString> nodeProtos = new ArrayList<>();
    Set<String> nodeNames = new HashSet<>();
    for (OnnxGraph.Node node : nodes.preludeNodes()) {
      String name = OnnxProto.string(node.proto, OnnxProto.NODE_NAME);
      UnknownFieldSet proto = node.proto;
      if (!name.isEmpty() && !nodeNames.add(name)) { // the same name in two branches, another node
        String unique = name + "_prelude" + nodeProtos.size();
        nodeNames.add(unique);
        proto = OnnxProto.with(proto, OnnxProto.NODE_NAME, List.of(ByteString.copyFromUtf8(unique)));
      }
      nodeProtos.add(proto.toByteString());
    }
    UnknownFieldSet graph = UnknownFieldSet.newBuilder().build();
    graph = OnnxProto.with(graph, GRAPH_NODE, nodeProtos);
    graph = OnnxProto.with(graph, OnnxProto.GRAPH_NAME, List.of(ByteString.copyFromUtf8(PRELUDE_GRAPH)));
    graph = OnnxProto.with(graph, GRAPH_INITIALIZER, List.copyOf(nodes.preludeInitializers().values()));
    graph = OnnxProto.with(graph, GRAPH_INPUT, List.of(main.inputs().get(encoderInput)));
    graph = OnnxProto.with(graph, GRAPH_OUTPUT, frontier.stream().map(OnnxProto::valueInfo).toList());
    UnknownFieldSet prelude = OnnxProto.without(model, OnnxProto.MODEL_TRAINING_INFO);
    return OnnxProto.serialize(prelude, OnnxProto.MODEL_GRAPH, graph);
  }

  /**
   * The decoder without the hoisted nodes (and the constants and initializers only they read),
   * with the frontier values as inputs after the original ones; {@code encoder_input} stays an
   * input only if something still reads it.
   *
   * @param inputInfos the {@code ValueInfoProto} of each frontier value (from the prelude's
   *     inferred output types)
   */
  ByteBuffer decoder(Map<String, ByteString> inputInfos) {
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
        if (kind == EncoderOnlyNodes.Kind.ENCODER || (kind == EncoderOnlyNodes.Kind.CONSTANT && unread)) {
          removed.add(node);
          changed = true;
        }
      }
      used = used(main, removed);
    }
    Set<String> removedValues = new HashSet<>();
    removed.forEach(node -> removedValues.addAll(node.outputs));

    UnknownFieldSet graph = rewrite(main, removed, removedValues, used);
    List<ByteString> inputs = new ArrayList<>();
    Set<String> initializers = main.initializers().keySet();
    Set<String> read = used;
    main.inputs().forEach((name, info) -> {
      boolean unread = !read.contains(name);
      if (!(unread && (name.equals(encoderInput) || initializers.contains(name)))) {
        inputs.add(info);
      }
    });
    for (String name : frontier) {
      ByteString info = inputInfos.get(name);
      if (info == null) {
        throw new IllegalArgumentException("no type for the new decoder input " + name);
      }
      inputs.add(info);
    }
    graph = OnnxProto.with(graph, GRAPH_INPUT, inputs);
    return OnnxProto.serialize(model, OnnxProto.MODEL_GRAPH, graph);
  }

  private static UnknownFieldSet rewrite(OnnxGraph graph, Set<OnnxGraph.Node> removed,
      Set<String> removedValues, Set<String> used) {
    List<ByteString> kept = new ArrayList<>();
    for (OnnxGraph.Node node : graph.nodes) {
      if (removed.contains(node)) {
        continue;
      }
      if (node.subgraphs.isEmpty()) {
        kept.add(node.proto.toByteString());
      } else {
        List<ByteString> bodies = new ArrayList<>();
        for (OnnxGraph subgraph : node.subgraphs) {
          bodies.add(rewrite(subgraph, removed, removedValues, used).toByteString());
        }
        kept.add(node.withSubgraphs(bodies).toByteString());
      }
    }
    List<ByteString> initializers = new ArrayList<>();
    graph.initializers().forEach((name, tensor) -> {
      if (used.contains(name)) {
        initializers.add(tensor);
      }
    });
    List<ByteString> valueInfo = OnnxProto.messages(graph.proto, GRAPH_VALUE_INFO).stream()
        .filter(info -> !removedValues.contains(
            OnnxProto.string(OnnxProto.parse(info), OnnxProto.VALUE_INFO_NAME)))
        .toList();
    UnknownFieldSet proto = OnnxProto.with(graph.proto, GRAPH_NODE, kept);
    proto = OnnxProto.with(proto, GRAPH_INITIALIZER, initializers);
    return OnnxProto.with(proto, GRAPH_VALUE_INFO, valueInfo);
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
    for (ByteString tensor : graph.initializers().values()) {
      UnknownFieldSet parsed = OnnxProto.parse(tensor);
      if (OnnxProto.varint(parsed, OnnxProto.TENSOR_DATA_LOCATION, 0) == 1
          || parsed.hasField(OnnxProto.TENSOR_EXTERNAL_DATA)) {
        return true;
      }
    }
    return graph.nodes.stream().flatMap(node -> node.subgraphs.stream()).anyMatch(CrossAttentionSplit::usesExternalData);
  }

  private void requireSplit() {
    if (refusal != null) {
      throw new IllegalStateException("the decoder cannot be split: " + refusal);
    }
  }
}
