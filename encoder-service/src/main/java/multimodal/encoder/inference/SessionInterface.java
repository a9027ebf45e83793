package multimodal.encoder.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.util.HashSet;
import java.util.Set;

/** Checks at load time that a graph has the input and output names the encoder feeds and reads. */
final class SessionInterface {
  private SessionInterface() {}

  /**
   * @param file the graph, for error messages
   * @param required inputs the encoder always feeds
   * @param optional inputs the encoder feeds only when the graph declares them
   * @param output the output the encoder reads
   * @return the output's last dimension (the embedding size), or -1 when symbolic
   */
  static long check(
      OrtSession session, String file, Set<String> required, Set<String> optional, String output)
      throws OrtException {
    return checkRank(session, file, required, optional, output, 2);
  }

  /** As {@link #check} for an output of rank 3 ({@code [batch, sequence, width]}). */
  static long check3d(
      OrtSession session, String file, Set<String> required, Set<String> optional, String output)
      throws OrtException {
    return checkRank(session, file, required, optional, output, 3);
  }

  private static long checkRank(
      OrtSession session,
      String file,
      Set<String> required,
      Set<String> optional,
      String output,
      int rank)
      throws OrtException {
    Set<String> inputs = session.getInputNames();
    for (String name : required) {
      if (!inputs.contains(name)) {
        throw new ModelLoadException(
            file + ": expected input '" + name + "' but the graph's inputs are " + inputs);
      }
    }
    Set<String> unknown = new HashSet<>(inputs);
    unknown.removeAll(required);
    unknown.removeAll(optional);
    if (!unknown.isEmpty()) {
      throw new ModelLoadException(
          file + ": the graph needs inputs " + unknown + " that this encoder does not provide");
    }
    NodeInfo info = session.getOutputInfo().get(output);
    if (info == null) {
      throw new ModelLoadException(
          file
              + ": expected output '"
              + output
              + "' but the graph's outputs are "
              + session.getOutputNames());
    }
    if (info.getInfo() instanceof TensorInfo tensor && tensor.getShape().length == rank) {
      return tensor.getShape()[rank - 1];
    }
    throw new ModelLoadException(
        file
            + ": output '"
            + output
            + "' must be a rank-"
            + rank
            + " tensor, is "
            + info.getInfo());
  }

  /** The input's tensor info; fails naming the input when it is not a tensor. */
  static TensorInfo tensor(OrtSession session, String file, String input) throws OrtException {
    NodeInfo info = session.getInputInfo().get(input);
    if (info == null || !(info.getInfo() instanceof TensorInfo tensor)) {
      throw new ModelLoadException(file + ": input '" + input + "' is missing or not a tensor");
    }
    return tensor;
  }

  /** INT64 or INT32; anything else is a clear load error. */
  static OnnxJavaType integerType(String file, String input, TensorInfo info) {
    if (info.type == OnnxJavaType.INT64 || info.type == OnnxJavaType.INT32) {
      return info.type;
    }
    throw new ModelLoadException(
        file + ": input '" + input + "' is " + info.type + ", expected int64 or int32 token ids");
  }
}
