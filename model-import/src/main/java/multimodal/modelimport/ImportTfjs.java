package multimodal.modelimport;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import multimodal.modelimport.convert.TfjsToOnnx;
import multimodal.modelimport.tfjs.TfjsModel;
import multimodal.modelimport.tfjs.TfjsModelReader;
import multimodal.onnx.ModelProto;

/**
 * Converts one TF.js graph model to ONNX.
 *
 * <pre>ImportTfjs &lt;model.json | directory of .min.js modules&gt; &lt;out.onnx&gt;</pre>
 */
public final class ImportTfjs {

  private ImportTfjs() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: ImportTfjs <model.json | directory with model.min.js> <out.onnx>");
      System.exit(2);
    }
    ModelProto onnx = convert(Path.of(args[0]), Path.of(args[1]));
    System.out.printf(
        "wrote %s: %d nodes, %d initializers, inputs %s, outputs %s%n",
        args[1],
        onnx.getGraph().getNodeCount(),
        onnx.getGraph().getInitializerCount(),
        onnx.getGraph().getInputList().stream().map(i -> i.getName()).toList(),
        onnx.getGraph().getOutputList().stream().map(o -> o.getName()).toList());
  }

  /**
   * Reads, converts and writes (through a temporary file, so a failed run never leaves a partial
   * model).
   */
  public static ModelProto convert(Path source, Path target) throws IOException {
    TfjsModel model = TfjsModelReader.read(source);
    ModelProto onnx = TfjsToOnnx.convert(model, source.getFileName().toString());
    Path parent = target.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempFile(parent, "model", ".onnx.tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      onnx.writeTo(out);
    }
    if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      // createTempFile makes the file private; the model is meant to be read by whoever runs the
      // services.
      Files.setPosixFilePermissions(
          tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    }
    Files.move(
        tmp,
        target,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return onnx;
  }
}
