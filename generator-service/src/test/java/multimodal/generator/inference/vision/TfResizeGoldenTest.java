package multimodal.generator.inference.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.Set;
import multimodal.generator.inference.image.ImageLoader;
import org.junit.jupiter.api.Test;

/**
 * The service's decoding and {@link TfBilinearResize} give the inputs TensorFlow.js gave the models
 * for the ten shared photographs: the sum of every resized value and sampled values, as recorded in
 * testdata/vision-golden (CenterNet: 0..255 to 512x512; nsfwjs: /255 then alignCorners to 224x224).
 */
class TfResizeGoldenTest {
  /**
   * The JDK's JPEG decoder (libjpeg: rounding, smooth chroma upsampling) and jpeg-js (the
   * reference's) differ by a level or two per pixel, about +0.3 to +0.5 on average; PNGs decode
   * exactly. For JPEGs the mean difference must stay under one level (an applied ICC profile made
   * it 4.3 on rocket.jpg) and each sampled value within 8; the output prints them.
   */
  static final Set<String> JPEG = Set.of("hubble_deep_field.jpg", "rocket.jpg");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ImageLoader DECODER = new ImageLoader(64 << 20, 100_000_000);

  static RgbPixels decode(String file) throws IOException {
    return RgbPixels.of(
        DECODER.decode(Files.readAllBytes(VisionTestModels.IMAGES.resolve(file)), file));
  }

  @Test
  void resizedInputsMatchTheReferenceChecksums() throws Exception {
    JsonNode centernet =
        JSON.readTree(VisionTestModels.golden("centernet-coco.json").toFile()).get("images");
    JsonNode nsfw =
        JSON.readTree(VisionTestModels.golden("nsfw-mobilenet-v2-mid.json").toFile()).get("images");
    assertThat(centernet.size()).isEqualTo(10);
    for (Iterator<String> files = centernet.fieldNames(); files.hasNext(); ) {
      String file = files.next();
      RgbPixels pixels = decode(file);
      assertThat(pixels.width()).isEqualTo(centernet.get(file).get("width").asInt());
      assertThat(pixels.height()).isEqualTo(centernet.get(file).get("height").asInt());
      float[] detectorInput = new float[512 * 512 * 3];
      TfBilinearResize.resize(
          pixels, 512, 512, false, TfBilinearResize.identityValues(), detectorInput, 0);
      assertInput(
          file + " (CenterNet)",
          JPEG.contains(file),
          detectorInput,
          centernet.get(file).get("input"),
          1);
      float[] safetyInput = new float[224 * 224 * 3];
      TfBilinearResize.resize(
          pixels, 224, 224, true, TfBilinearResize.unitValues(), safetyInput, 0);
      assertInput(
          file + " (nsfwjs)",
          JPEG.contains(file),
          safetyInput,
          nsfw.get(file).get("input"),
          1 / 255.0);
    }
  }

  private static void assertInput(
      String what, boolean jpeg, float[] input, JsonNode checksum, double level) {
    double sum = 0;
    for (float v : input) {
      sum += v; // in order, in doubles, as the reference summed
    }
    double expected = checksum.get("sum").asDouble();
    double meanLevels = Math.abs(sum - expected) / input.length / level;
    System.out.printf(
        "%-36s input sum %.7g, reference %.7g, mean difference %.3f levels%s%n",
        what, sum, expected, meanLevels, jpeg ? " (JPEG: decoders differ)" : "");
    if (jpeg) {
      assertThat(meanLevels).as(what + " mean difference in levels").isLessThan(1.0);
    } else {
      assertThat(sum)
          .as(what + " input sum")
          .isCloseTo(expected, within(Math.abs(expected) * 1e-6));
    }
    for (JsonNode sample : checksum.get("samples")) {
      int index = sample.get(0).asInt();
      double reference = sample.get(1).asDouble();
      if (jpeg) {
        System.out.printf(
            "    input[%d] %.4f, reference %.4f%n", index, input[index] / level, reference / level);
      }
      assertThat((double) input[index])
          .as(what + " input[" + index + "]")
          .isCloseTo(
              reference, within(jpeg ? 8 * level : Math.max(1e-7, Math.abs(reference) * 1e-6)));
    }
  }
}
