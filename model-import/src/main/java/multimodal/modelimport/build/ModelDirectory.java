package multimodal.modelimport.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Properties;
import java.util.TreeMap;
import multimodal.modelimport.ImportTfjs;
import multimodal.modelimport.convert.TfjsToOnnx;
import multimodal.onnx.ModelProto;
import multimodal.onnx.TensorShapeProto;
import multimodal.onnx.ValueInfoProto;

/**
 * One imported model's output directory: model.onnx, labels.txt, LICENSE and model.properties. The
 * properties are written last, so their presence (same package integrity, same importer
 * fingerprint) means "up to date".
 */
final class ModelDirectory {

  private final Path dir;

  ModelDirectory(Path modelsDir, VisionModel model) {
    this.dir = modelsDir.resolve(model.dirName());
  }

  Path path() {
    return dir;
  }

  boolean isUpToDate(VisionModel model, String importer) throws IOException {
    Path props = dir.resolve("model.properties");
    if (!Files.exists(props) || !Files.exists(dir.resolve("model.onnx"))) return false;
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(props)) {
      p.load(in);
    }
    return model.pkg().integrity().equals(p.getProperty("integrity"))
        && importer.equals(p.getProperty("importer"));
  }

  void write(VisionModel model, Path unpacked, List<String> labels, String importer)
      throws IOException {
    Files.createDirectories(dir);
    Files.deleteIfExists(dir.resolve("model.properties"));
    ModelProto onnx =
        ImportTfjs.convert(unpacked.resolve(model.graphPath()), dir.resolve("model.onnx"));
    Files.write(dir.resolve("labels.txt"), labels, StandardCharsets.UTF_8);
    Files.copy(
        unpacked.resolve(model.licensePath()),
        dir.resolve("LICENSE"),
        StandardCopyOption.REPLACE_EXISTING);

    TreeMap<String, String> p = new TreeMap<>();
    p.put("package", model.pkg().name());
    p.put("version", model.pkg().version());
    p.put("integrity", model.pkg().integrity());
    p.put("source", model.graphPath().replaceFirst("^package/", ""));
    p.put("license", "LICENSE (copied from the package)");
    p.put(
        "format",
        "onnx opset " + TfjsToOnnx.OPSET + ", imported from a TF.js graph model by model-import");
    p.put("fixture", "false");
    p.put("importer", importer);
    p.put("labels", labels.size() + " in labels.txt, in class-index order");
    p.put("inputs", describe(onnx.getGraph().getInputList()));
    p.put("outputs", describe(onnx.getGraph().getOutputList()));
    Path tmp = dir.resolve("model.properties.tmp");
    try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      w.write(
          "# " + model.dirName() + ": real pretrained weights from " + model.pkg().spec() + "\n");
      for (var e : p.entrySet()) w.write(e.getKey() + "=" + e.getValue() + "\n");
    }
    Files.move(
        tmp,
        dir.resolve("model.properties"),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  /** "name[d0,d1,...]" per tensor, a symbolic dimension by its name (e.g. batch). */
  static String describe(List<ValueInfoProto> values) {
    return String.join(
        ";",
        values.stream()
            .map(
                v ->
                    v.getName()
                        + v.getType().getTensorType().getShape().getDimList().stream()
                            .map(TensorShapeProto.Dimension::toString)
                            .map(
                                s ->
                                    s.replaceAll("(?s)dim_value: (\\d+)\\s*", "$1")
                                        .replaceAll("(?s)dim_param: \"(\\w+)\"\\s*", "$1"))
                            .toList()
                            .toString()
                            .replace(" ", ""))
            .toList());
  }
}
