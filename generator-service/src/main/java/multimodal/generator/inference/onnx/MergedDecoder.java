package multimodal.generator.inference.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import multimodal.generator.inference.generation.GenerationControl;
import multimodal.onnx.TensorShapeProto;
import multimodal.onnx.TypeProto;
import multimodal.onnx.ValueInfoProto;

/**
 * The merged decoder of an encoder-decoder whose KV cache holds self-attention only (ViT-GPT2,
 * docs/models.md §3.2, §3.5), with its cross-attention cached all the same: at load the graph is
 * split ({@link CrossAttentionSplit}) into a prelude, run once per image batch on the encoder
 * output, and a decoder that reads the prelude's outputs on every step instead of recomputing them.
 *
 * <p>The recompute-without-cache mode (the benchmark's baseline) keeps running the original graph,
 * created on its first use. With the split turned off or refused, the original graph serves both.
 */
public final class MergedDecoder implements AutoCloseable {
  private static final String ORT_TYPE_PREFIX = "ONNX_TENSOR_ELEMENT_DATA_TYPE_";

  /** ONNX {@code TensorProto.DataType} names, indexed by their number. */
  private static final List<String> ONNX_TYPES =
      List.of(
          "UNDEFINED",
          "FLOAT",
          "UINT8",
          "INT8",
          "UINT16",
          "INT16",
          "INT32",
          "INT64",
          "STRING",
          "BOOL",
          "FLOAT16",
          "DOUBLE",
          "UINT32",
          "UINT64",
          "COMPLEX64",
          "COMPLEX128",
          "BFLOAT16",
          "FLOAT8E4M3FN",
          "FLOAT8E4M3FNUZ",
          "FLOAT8E5M2",
          "FLOAT8E5M2FNUZ");

  private final OrtEnvironment env;
  private final Path file;
  private final OrtSession.SessionOptions options;
  private final String encoderInput;
  private final OrtSession cached;
  private final OrtSession prelude;
  private final String description;
  private OrtSession original;

  private MergedDecoder(
      OrtEnvironment env,
      Path file,
      OrtSession.SessionOptions options,
      String encoderInput,
      OrtSession cached,
      OrtSession prelude,
      String description) {
    this.env = env;
    this.file = file;
    this.options = options;
    this.encoderInput = encoderInput;
    this.cached = cached;
    this.prelude = prelude;
    this.description = description;
    this.original = prelude == null ? cached : null;
  }

  /**
   * Loads {@code file}, split when {@code cacheCrossAttention} and the graph allows it.
   *
   * @param options must stay open while this decoder is used: the original graph of the recompute
   *     mode is created with them on first use
   * @param encoderInput the decoder input that carries the encoder output
   */
  public static MergedDecoder load(
      OrtEnvironment env,
      Path file,
      OrtSession.SessionOptions options,
      String encoderInput,
      boolean cacheCrossAttention)
      throws OrtException, IOException {
    if (!cacheCrossAttention) {
      return unsplit(
          env, file, options, encoderInput, "cross-attention recomputed every step (turned off)");
    }
    CrossAttentionSplit split;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      // mapped, not read: the graph is analysed and rewritten without copying its weights to the
      // heap
      MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
      split = CrossAttentionSplit.of(UnsafeByteOperations.unsafeWrap(mapped), encoderInput);
    }
    if (split.refusal().isPresent()) {
      return unsplit(
          env,
          file,
          options,
          encoderInput,
          "cross-attention recomputed every step, the graph is not split: "
              + split.refusal().get());
    }
    OrtSession prelude = null;
    try {
      prelude = env.createSession(split.prelude(), options);
      OrtSession decoder = env.createSession(split.decoder(inputInfos(prelude)), options);
      return new MergedDecoder(
          env,
          file,
          options,
          encoderInput,
          decoder,
          prelude,
          "cross-attention cached: " + split.summary());
    } catch (OrtException | IllegalArgumentException e) {
      Sessions.close(prelude);
      return unsplit(
          env,
          file,
          options,
          encoderInput,
          "cross-attention recomputed every step, ONNX Runtime refused the split graphs: "
              + e.getMessage());
    }
  }

  private static MergedDecoder unsplit(
      OrtEnvironment env,
      Path file,
      OrtSession.SessionOptions options,
      String encoderInput,
      String why)
      throws OrtException {
    OrtSession session = env.createSession(file.toString(), options);
    try {
      OrtTensors.requireInputs(session, file.getFileName().toString(), List.of(encoderInput));
    } catch (RuntimeException e) {
      Sessions.close(session);
      throw e;
    }
    return new MergedDecoder(env, file, options, encoderInput, session, null, why);
  }

  /** The {@code ValueInfoProto} of each prelude output, with the type ONNX Runtime inferred. */
  private static Map<String, ValueInfoProto> inputInfos(OrtSession prelude) throws OrtException {
    Map<String, ValueInfoProto> infos = new HashMap<>();
    for (Map.Entry<String, NodeInfo> output : prelude.getOutputInfo().entrySet()) {
      if (!(output.getValue().getInfo() instanceof TensorInfo tensor)) {
        throw new IllegalArgumentException(
            "prelude output " + output.getKey() + " is not a tensor");
      }
      int type = ONNX_TYPES.indexOf(tensor.onnxType.name().substring(ORT_TYPE_PREFIX.length()));
      long[] shape = tensor.getShape(); // [] also when the rank is unknown: then declare no shape
      infos.put(
          output.getKey(),
          valueInfo(
              output.getKey(), type, shape.length == 0 ? null : shape, tensor.getDimensionNames()));
    }
    return infos;
  }

  /**
   * A tensor {@code ValueInfoProto}.
   *
   * @param dims per axis a size, or -1 for an unknown one (then named by {@code dimNames[i]} if not
   *     empty); {@code null}: unknown rank
   */
  static ValueInfoProto valueInfo(String name, int elemType, long[] dims, String[] dimNames) {
    TypeProto.Tensor.Builder tensor = TypeProto.Tensor.newBuilder().setElemType(elemType);
    if (dims != null) {
      TensorShapeProto.Builder shape = tensor.getShapeBuilder();
      for (int i = 0; i < dims.length; i++) {
        TensorShapeProto.Dimension.Builder axis = shape.addDimBuilder();
        if (dims[i] >= 0) {
          axis.setDimValue(dims[i]);
        } else if (dimNames != null && i < dimNames.length && !dimNames[i].isEmpty()) {
          axis.setDimParam(dimNames[i]);
        } // else a Dimension with neither value nor name: unknown size
      }
    }
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(TypeProto.newBuilder().setTensorType(tensor))
        .build();
  }

  /** True when the cross-attention is computed once per batch by the prelude. */
  public boolean split() {
    return prelude != null;
  }

  /** How the decoder was loaded, for the load log. */
  public String description() {
    return description;
  }

  /** The session for a generation with ({@code useCache}) or without the KV cache. */
  public OrtSession session(boolean useCache) {
    return useCache ? cached : original();
  }

  private synchronized OrtSession original() {
    if (original == null) {
      try {
        original = env.createSession(file.toString(), options);
      } catch (OrtException e) {
        throw new IllegalStateException(
            "cannot load the original decoder " + file + ": " + e.getMessage(), e);
      }
    }
    return original;
  }

  /**
   * The inputs every step of a generation reads unchanged: the encoder output and, with the split
   * and the cache, the prelude's outputs for it.
   *
   * @param hidden the encoder output with one row per decoded sequence (beams already expanded)
   */
  public FixedInputs fixedInputs(OnnxTensor hidden, boolean useCache, GenerationControl control)
      throws OrtException {
    if (!useCache || prelude == null) {
      return new FixedInputs(Map.of(encoderInput, hidden), null);
    }
    OrtSession.Result computed = prelude.run(Map.of(encoderInput, hidden), control.runOptions());
    Map<String, OnnxTensor> inputs = new HashMap<>();
    for (Map.Entry<String, OnnxValue> output : computed) {
      inputs.put(output.getKey(), (OnnxTensor) output.getValue());
    }
    if (cached.getInputNames().contains(encoderInput)) {
      inputs.put(encoderInput, hidden);
    }
    return new FixedInputs(Map.copyOf(inputs), computed);
  }

  /** Fixed decoder inputs; closing releases the prelude's outputs (not the encoder output). */
  public record FixedInputs(Map<String, OnnxTensor> tensors, OrtSession.Result owner)
      implements AutoCloseable {
    @Override
    public void close() {
      if (owner != null) {
        owner.close();
      }
    }
  }

  @Override
  public synchronized void close() {
    if (original != cached) {
      Sessions.close(original);
    }
    Sessions.close(cached, prelude);
  }
}
