package multimodal.encoder.inference;

import ai.onnxruntime.OrtEnvironment;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import multimodal.encoder.Vectors;
import multimodal.media.ImageDecoder;
import multimodal.media.ImageLimits;

/**
 * What {@code encoder.images.jpeg-dct-scaling} does to embeddings: one CLIP model loaded twice,
 * with exact (Pillow's) decoding and with JPEG DCT-domain scaling, and the cosine between the two
 * embeddings of each image. Shared by {@code JpegDctScalingTest} and {@code
 * GrpcThroughputBenchmark}.
 */
public final class DctScalingFidelity {
  /** Cosine of the exact and the DCT-scaled embedding of each image, in the images' order. */
  public static Map<String, Double> cosines(
      Path modelDir, Precision precision, Map<String, byte[]> images) throws Exception {
    try (ClipModel exact = load(modelDir, precision, false);
        ClipModel scaled = load(modelDir, precision, true)) {
      Map<String, Double> cosines = new LinkedHashMap<>();
      for (Map.Entry<String, byte[]> image : images.entrySet()) {
        // One image per run: int8's dynamic quantisation scales each activation tensor by its
        // batch's range, so a batch mate's change would move the other embeddings too.
        float[] a =
            exact.embedPixels(List.of(exact.preprocess(image.getValue(), image.getKey())))[0];
        float[] b =
            scaled.embedPixels(List.of(scaled.preprocess(image.getValue(), image.getKey())))[0];
        cosines.put(image.getKey(), Vectors.cosine(a, b));
      }
      return cosines;
    }
  }

  /**
   * The files of {@code dir} (the shared photographs: two JPEGs, of which only the 1000 × 872 one
   * is large enough to be scaled, at 1/2), then two JPEGs made from {@code astronaut.png} at 1024
   * and 2048 pixels square, which decode at 1/4 and 1/8: the scales a camera's photograph gets.
   */
  public static Map<String, byte[]> photographsAndLargeJpegs(Path dir) throws IOException {
    Map<String, byte[]> images = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        images.put(file.getFileName().toString(), Files.readAllBytes(file));
      }
    }
    BufferedImage astronaut = ImageIO.read(dir.resolve("astronaut.png").toFile());
    for (int side : new int[] {1024, 2048}) {
      images.put("astronaut-" + side + ".jpg", jpeg(astronaut, side));
    }
    return images;
  }

  private static byte[] jpeg(BufferedImage source, int side) throws IOException {
    BufferedImage large = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = large.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
    g.drawImage(source, 0, 0, side, side, null);
    g.dispose();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!ImageIO.write(large, "jpeg", out)) {
      throw new IOException("no JPEG writer in this JDK");
    }
    return out.toByteArray();
  }

  private static ClipModel load(Path dir, Precision precision, boolean dctScaling) {
    ModelLoader loader =
        new ModelLoader(
            OrtEnvironment.getEnvironment(),
            new OrtSettings(0, 1, "all", "cpu", 0, false),
            new ImageDecoder(new ImageLimits(16 << 20, 40_000_000)),
            dctScaling);
    return (ClipModel) loader.load("clip", dir, Optional.empty(), precision);
  }

  private DctScalingFidelity() {}
}
