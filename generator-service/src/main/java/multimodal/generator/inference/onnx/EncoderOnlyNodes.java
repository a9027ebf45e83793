package multimodal.generator.inference.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import multimodal.onnx.NodeProto;
import multimodal.onnx.TensorProto;

/**
 * The nodes of a decoder graph, and of the subgraphs of its nodes ({@code If} branches), that
 * depend on the encoder's output and otherwise only on constants: in an encoder-decoder whose KV
 * cache holds self-attention only (GPT-2 with cross-attention, as exported for ViT-GPT2), these are
 * the cross-attention key/value projections, recomputed on every step although the encoder output
 * never changes.
 *
 * <p>Each node is one of three kinds: {@link Kind#CONSTANT} (reads only initializers and other
 * constant values, or is a {@code Constant}), {@link Kind#ENCODER} (reads the encoder input or
 * encoder values, and otherwise only constants: to be hoisted), {@link Kind#OTHER} (anything else,
 * and every node with a subgraph or a random op). The frontier is the encoder values that a node
 * left behind (or a graph output) reads. The prelude is the hoisted nodes plus the constant nodes
 * and initializers they read, deduplicated by name; the same name computed in two different ways
 * makes the split ambiguous.
 */
final class EncoderOnlyNodes {
  enum Kind {
    CONSTANT,
    ENCODER,
    OTHER
  }

  private static final Set<String> RANDOM_OPS =
      Set.of(
          "RandomNormal",
          "RandomUniform",
          "RandomNormalLike",
          "RandomUniformLike",
          "Multinomial",
          "Bernoulli");

  private final String encoderInput;
  private final Map<OnnxGraph.Node, Kind> kinds = new IdentityHashMap<>();
  private final Set<String> frontier = new LinkedHashSet<>();
  private final List<OnnxGraph.Node> preludeNodes = new ArrayList<>();
  private final Map<String, TensorProto> preludeInitializers = new LinkedHashMap<>();

  /** Definition of the prelude node that computes each value. */
  private final Map<String, NodeProto> definitions = new HashMap<>();

  private final List<String> problems = new ArrayList<>();

  EncoderOnlyNodes(OnnxGraph main, String encoderInput) {
    this.encoderInput = encoderInput;
    Scope scope = new Scope(null, main);
    for (String input : main.inputNames()) {
      if (input.equals(encoderInput)) {
        scope.kinds.put(input, Kind.ENCODER);
      } else if (!scope.initializers.containsKey(
          input)) { // an initializer listed as input stays constant
        scope.kinds.put(input, Kind.OTHER);
      }
    }
    visit(main, scope);
    checkNames(main);
  }

  Kind kind(OnnxGraph.Node node) {
    return kinds.get(node);
  }

  /** Encoder values read by what stays in the decoder (the encoder input itself included). */
  Set<String> frontier() {
    return frontier;
  }

  List<OnnxGraph.Node> preludeNodes() {
    return preludeNodes;
  }

  Map<String, TensorProto> preludeInitializers() {
    return preludeInitializers;
  }

  /** Why the split cannot be made as found (same name, different computations, ...). */
  List<String> problems() {
    return problems;
  }

  /** Hoisted nodes, counting a node that both branches hold twice. */
  long hoistedCount() {
    return kinds.values().stream().filter(kind -> kind == Kind.ENCODER).count();
  }

  private void visit(OnnxGraph graph, Scope scope) {
    for (OnnxGraph.Node node : graph.nodes) {
      Kind kind;
      if (node.subgraphs.isEmpty()) {
        kind = classify(node, scope);
      } else {
        for (OnnxGraph subgraph : node.subgraphs) {
          Scope inner = new Scope(scope, subgraph);
          subgraph.inputNames().forEach(input -> inner.kinds.put(input, Kind.OTHER));
          visit(subgraph, inner);
        }
        kind = Kind.OTHER;
      }
      if (kind == Kind.ENCODER && node.outputs.stream().anyMatch(scope.graphOutputs::contains)) {
        kind = Kind.OTHER; // a graph output stays computed where it is
      }
      if (kind == Kind.OTHER) {
        for (String input : node.inputs) {
          if (!input.isEmpty() && scope.kind(input) == Kind.ENCODER) {
            frontier.add(input);
          }
        }
      }
      for (String output : node.outputs) {
        if (!output.isEmpty()) {
          scope.kinds.put(output, kind);
          scope.producers.put(output, node);
        }
      }
      kinds.put(node, kind);
      if (kind == Kind.ENCODER) {
        addToPrelude(node, scope);
      }
    }
    for (String output : graph.outputNames()) {
      if (scope.kind(output) == Kind.ENCODER) {
        frontier.add(output);
      }
    }
  }

  private static Kind classify(OnnxGraph.Node node, Scope scope) {
    if (RANDOM_OPS.contains(node.opType)) {
      return Kind.OTHER;
    }
    boolean reads = false;
    boolean encoder = false;
    for (String input : node.inputs) {
      if (input.isEmpty()) {
        continue;
      }
      reads = true;
      Kind kind = scope.kind(input);
      if (kind == Kind.OTHER) {
        return Kind.OTHER;
      }
      encoder |= kind == Kind.ENCODER;
    }
    if (!reads) {
      boolean constant =
          node.opType.equals("Constant")
              && (node.domain.isEmpty() || node.domain.equals("ai.onnx"));
      return constant ? Kind.CONSTANT : Kind.OTHER;
    }
    return encoder ? Kind.ENCODER : Kind.CONSTANT;
  }

  private void addToPrelude(OnnxGraph.Node node, Scope scope) {
    for (String input : node.inputs) {
      if (!input.isEmpty() && scope.kind(input) == Kind.CONSTANT) {
        addConstant(input, scope);
      }
    }
    add(node);
  }

  /** Adds what computes a constant value: its initializer, or its node and what that reads. */
  private void addConstant(String name, Scope scope) {
    if (definitions.containsKey(name) || preludeInitializers.containsKey(name)) {
      return;
    }
    Scope owner = scope.owner(name);
    OnnxGraph.Node producer = owner.producers.get(name);
    if (producer == null) {
      preludeInitializers.put(name, owner.initializers.get(name));
      return;
    }
    for (String input : producer.inputs) {
      if (!input.isEmpty()) {
        addConstant(input, owner);
      }
    }
    add(producer);
  }

  /** Adds a node unless an identical one computes the same values; a different one is a problem. */
  private void add(OnnxGraph.Node node) {
    NodeProto definition = node.definition();
    boolean known = false;
    for (String output : node.outputs) {
      NodeProto existing = definitions.get(output);
      if (existing != null) {
        known = true;
        if (!existing.equals(definition)) {
          problems.add("value " + output + " is computed in two different ways");
        }
      }
    }
    if (known) {
      return;
    }
    node.outputs.stream()
        .filter(output -> !output.isEmpty())
        .forEach(output -> definitions.put(output, definition));
    preludeNodes.add(node);
  }

  /**
   * Frontier values become inputs of the whole decoder, so no other node, initializer or graph
   * input anywhere may carry their names; constant initializers copied into the prelude must be the
   * same tensor wherever their name is used.
   */
  private void checkNames(OnnxGraph main) {
    Map<String, String> elsewhere = new HashMap<>();
    collectDefinitions(main, elsewhere);
    for (String name : frontier) {
      if (!name.equals(encoderInput) && elsewhere.containsKey(name)) {
        problems.add("value " + name + " is also " + elsewhere.get(name));
      }
    }
    for (String name : preludeInitializers.keySet()) {
      if (definitions.containsKey(name)) {
        problems.add("name " + name + " is both an initializer and a computed value");
      }
    }
  }

  private void collectDefinitions(OnnxGraph graph, Map<String, String> elsewhere) {
    graph
        .initializers()
        .forEach(
            (name, tensor) -> {
              TensorProto copied = preludeInitializers.get(name);
              if (copied != null && !copied.equals(tensor)) {
                problems.add(
                    "initializer " + name + " holds different tensors in different subgraphs");
              }
              elsewhere.put(name, "an initializer");
            });
    graph.inputNames().forEach(name -> elsewhere.putIfAbsent(name, "a graph input"));
    for (OnnxGraph.Node node : graph.nodes) {
      if (kinds.get(node) != Kind.ENCODER) {
        node.outputs.forEach(
            output -> elsewhere.put(output, "computed by a " + node.opType + " node that stays"));
      }
      node.subgraphs.forEach(subgraph -> collectDefinitions(subgraph, elsewhere));
    }
  }

  /** The names one graph defines, with the enclosing graph's as fallback (ONNX outer scope). */
  private static final class Scope {
    final Scope parent;
    final Map<String, Kind> kinds = new HashMap<>();
    final Map<String, OnnxGraph.Node> producers = new HashMap<>();
    final Map<String, TensorProto> initializers;
    final Set<String> graphOutputs;

    Scope(Scope parent, OnnxGraph graph) {
      this.parent = parent;
      this.initializers = graph.initializers();
      this.graphOutputs = Set.copyOf(graph.outputNames());
    }

    Kind kind(String name) {
      Scope owner = owner(name);
      if (owner == null) {
        return Kind.OTHER;
      }
      Kind kind = owner.kinds.get(name);
      return kind != null ? kind : Kind.CONSTANT;
    }

    /** The innermost scope that defines {@code name}, or null. */
    Scope owner(String name) {
      for (Scope scope = this; scope != null; scope = scope.parent) {
        if (scope.kinds.containsKey(name) || scope.initializers.containsKey(name)) {
          return scope;
        }
      }
      return null;
    }
  }
}
