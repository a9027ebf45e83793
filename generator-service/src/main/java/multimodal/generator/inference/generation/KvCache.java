package multimodal.generator.inference.generation;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import multimodal.generator.inference.onnx.OrtTensors;

/**
 * The {@code past_key_values.*} inputs of a merged decoder and who owns them: zero-length tensors
 * before the first step, then the {@code present.*} outputs of the last step (renamed), or
 * row-gathered copies after a beam re-order. What is no longer needed is closed only after the step
 * that consumed it has returned (docs/models.md §6.4).
 */
public final class KvCache implements AutoCloseable {
  static final String PAST = "past_key_values";
  static final String PRESENT = "present";

  private final OrtEnvironment env;
  private final List<String> names;
  private final Map<String, long[]> emptyShapes = new HashMap<>();
  private Map<String, OnnxTensor> current;
  private Map<String, OnnxTensor> owned;
  private OrtSession.Result owner;
  private boolean filled;

  /**
   * @param rows batch rows
   * @param session the decoder whose {@code past_key_values.*} inputs ({@code [batch, heads, past,
   *     head_dim]}) this cache feeds
   */
  public KvCache(OrtEnvironment env, OrtSession session, int rows) throws OrtException {
    this.env = env;
    this.names = pastNames(session);
    for (String name : names) {
      long[] shape = OrtTensors.inputShape(session, name).clone();
      shape[0] = rows;
      shape[2] = 0;
      for (int i = 1; i < shape.length; i++) {
        if (shape[i] < 0) {
          throw new IllegalStateException(
              name + " has a symbolic dim " + i + " besides batch/past");
        }
      }
      emptyShapes.put(name, shape);
    }
    this.current = empties();
    this.owned = new HashMap<>(current);
  }

  public static List<String> pastNames(OrtSession session) {
    return session.getInputNames().stream().filter(n -> n.startsWith(PAST + ".")).sorted().toList();
  }

  /** True once a step's presents are held (the cache branch of a merged decoder applies). */
  public boolean filled() {
    return filled;
  }

  /** Length of the cached sequence (of the first past input). */
  long length(String name) {
    return current.get(name).getInfo().getShape()[2];
  }

  public Map<String, OnnxTensor> inputs() {
    return current;
  }

  /** New zero-length pasts, for a step that must not use the cache; the caller closes them. */
  public Map<String, OnnxTensor> empties() throws OrtException {
    Map<String, OnnxTensor> empties = new HashMap<>();
    for (String name : names) {
      empties.put(name, OrtTensors.empty(env, emptyShapes.get(name)));
    }
    return empties;
  }

  /**
   * Takes the presents of {@code result} as the next pasts.
   *
   * @param frozen pasts that are taken from the first step only and then kept (Florence-2's
   *     cross-attention: the cached branch returns placeholders for them)
   */
  public void advance(OrtSession.Result result, Predicate<String> frozen) throws OrtException {
    Map<String, OnnxTensor> next = new HashMap<>();
    Map<String, OnnxTensor> nextOwned = new HashMap<>();
    for (String name : names) {
      if (frozen.test(name) && filled) {
        next.put(name, current.get(name));
        nextOwned.put(name, owned.remove(name));
        continue;
      }
      OnnxTensor present =
          (OnnxTensor)
              result
                  .get(PRESENT + name.substring(PAST.length()))
                  .orElseThrow(
                      () -> new IllegalStateException("decoder gave no output for " + name));
      if (frozen.test(name)) {
        OnnxTensor copy = copyOf(present);
        next.put(name, copy);
        nextOwned.put(name, copy);
      } else {
        next.put(name, present);
      }
    }
    releaseAll();
    owner = result;
    owned = nextOwned;
    current = next;
    filled = true;
  }

  /** Beam search: new row {@code i} = old row {@code order[i]}, for every past. */
  public void reorder(int[] order) throws OrtException {
    Map<String, OnnxTensor> next = new HashMap<>();
    for (String name : names) {
      next.put(name, OrtTensors.gatherRows(env, current.get(name), order));
    }
    releaseAll();
    owner = null;
    owned = next;
    current = next;
  }

  private OnnxTensor copyOf(OnnxTensor tensor) throws OrtException {
    int[] identity = new int[(int) tensor.getInfo().getShape()[0]];
    for (int i = 0; i < identity.length; i++) {
      identity[i] = i;
    }
    return OrtTensors.gatherRows(env, tensor, identity);
  }

  private void releaseAll() {
    owned.values().forEach(OnnxTensor::close);
    owned = new HashMap<>();
    if (owner != null) {
      owner.close();
      owner = null;
    }
  }

  @Override
  public void close() {
    releaseAll();
  }
}
