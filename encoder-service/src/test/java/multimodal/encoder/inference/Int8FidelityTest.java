package multimodal.encoder.inference;

import static multimodal.encoder.Vectors.cosine;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import multimodal.devkit.images.ShapeImages;
import multimodal.devkit.images.ShapeImages.Shape;
import multimodal.devkit.onnx.VitB32ClipFixture;
import multimodal.encoder.TestModels;
import org.junit.jupiter.api.Test;

/**
 * Embeddings with the graphs in int8 ({@link Precision#INT8}) against the same model in fp32: the
 * cosine of every pair is at least {@value #MIN_COSINE}, on the fixture CLIP and on the
 * shape-faithful ViT-B/32 (real architecture and size, random weights: ~600 MB generated into
 * target/test-models on first use).
 */
class Int8FidelityTest {
  static final double MIN_COSINE = 0.99;
  private static final Path PHOTOS = Path.of("..", "testdata", "images");
  private static final List<String> TEXTS =
      List.of(
          "a photo of a cat sitting on a red sofa",
          "a red circle",
          "a blue square on a white background",
          "an astronaut",
          "x",
          "the quick brown fox jumps over the lazy dog, twice, in the rain at night");

  @Test
  void fixtureClipInt8AgreesWithFp32() throws Exception {
    assertAgree(TestModels.clipFixture());
  }

  @Test
  void shapeFaithfulVitB32Int8AgreesWithFp32() throws Exception {
    assertAgree(VitB32ClipFixture.write(Path.of("target", "test-models")));
  }

  private static void assertAgree(Path dir) throws Exception {
    List<byte[]> images = new ArrayList<>();
    try (Stream<Path> files = Files.list(PHOTOS)) {
      for (Path file : files.sorted().toList()) {
        images.add(Files.readAllBytes(file));
      }
    }
    images.add(ShapeImages.png(Shape.TRIANGLE, new Color(20, 200, 40), 300, 0.6));
    try (ClipModel fp32 =
            (ClipModel) ClipModelTest.LOADER.load("fp32", dir, Optional.empty(), Precision.FP32);
        ClipModel int8 =
            (ClipModel) ClipModelTest.LOADER.load("int8", dir, Optional.empty(), Precision.INT8)) {
      List<float[]> pixels = new ArrayList<>();
      for (byte[] image : images) {
        pixels.add(fp32.preprocess(image, "image"));
      }
      float[][] imagesFp32 = fp32.embedPixels(pixels);
      float[][] imagesInt8 = int8.embedPixels(pixels);
      for (int i = 0; i < imagesFp32.length; i++) {
        assertThat(cosine(imagesFp32[i], imagesInt8[i]))
            .as("image %d of %s", i, dir.getFileName())
            .isGreaterThanOrEqualTo(MIN_COSINE)
            .isLessThan(1.0); // int8 really ran: not bit-identical to fp32
      }
      float[][] textsFp32 = fp32.embedTexts(TEXTS);
      float[][] textsInt8 = int8.embedTexts(TEXTS);
      for (int i = 0; i < textsFp32.length; i++) {
        assertThat(cosine(textsFp32[i], textsInt8[i]))
            .as("\"%s\" with %s", TEXTS.get(i), dir.getFileName())
            .isGreaterThanOrEqualTo(MIN_COSINE);
      }
    }
  }
}
