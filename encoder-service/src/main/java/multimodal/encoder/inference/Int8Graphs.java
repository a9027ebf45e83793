package multimodal.encoder.inference;

import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import multimodal.onnx.ModelProto;
import multimodal.onnx.OnnxModels;
import multimodal.onnx.TensorProto;

/** Reads one ONNX file and gives its int8 rewrite ({@link Int8MatMulQuantizer}) as bytes. */
public final class Int8Graphs {
  private static final System.Logger LOG = System.getLogger(Int8Graphs.class.getName());

  private Int8Graphs() {}

  /**
   * The serialised int8 model, or empty (with a warning) when the graph keeps weights in external
   * data files: a session made from bytes could not find them, so that graph stays float.
   */
  public static Optional<byte[]> quantize(Path graph) {
    long start = System.nanoTime();
    try (FileChannel channel = FileChannel.open(graph, StandardOpenOption.READ)) {
      // Mapped, and parsed without copying the weights: only the rewritten model is on the heap.
      MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
      ModelProto model = OnnxModels.parse(UnsafeByteOperations.unsafeWrap(mapped));
      boolean external =
          model.getGraph().getInitializerList().stream()
              .anyMatch(t -> t.getDataLocation() == TensorProto.DataLocation.EXTERNAL);
      if (external) {
        LOG.log(
            Level.WARNING,
            graph + " keeps its weights in external data files; it runs in fp32, not int8");
        return Optional.empty();
      }
      Int8MatMulQuantizer.Result result = Int8MatMulQuantizer.quantize(model);
      byte[] bytes = result.model().toByteArray();
      LOG.log(
          Level.INFO,
          String.format(
              "%s: %d MatMul/Gemm with constant weights in int8, %d left in float (%.1f s, %d → %d"
                  + " MB)",
              graph.getFileName(),
              result.quantized(),
              result.keptFloat(),
              (System.nanoTime() - start) / 1e9,
              channel.size() >> 20,
              bytes.length >> 20));
      return Optional.of(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (IllegalArgumentException e) {
      throw new ModelLoadException(graph + ": " + e.getMessage(), e);
    }
  }
}
