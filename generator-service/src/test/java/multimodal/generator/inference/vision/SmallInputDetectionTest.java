package multimodal.generator.inference.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.UnsafeByteOperations;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import multimodal.generator.TestImages;
import multimodal.generator.inference.image.ImageLoader;
import multimodal.onnx.ModelProto;
import multimodal.onnx.OnnxModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real CenterNet at the small inputs of {@code generator.vision.detector.small-inputs}: the
 * graph rewritten for 128 and 256 ({@link CenterNetInputSize}) runs, an image goes to the smallest
 * input its longer side fits in, boxes come back as fractions of the image whatever the input, and
 * images larger than every small input get exactly what the model's own input gives.
 */
class SmallInputDetectionTest {
  private static final DetectionSettings SETTINGS = new DetectionSettings(0.3f, 0.4f, 10, true);
  private static final ImageLoader LOADER = new ImageLoader(64 << 20, 100_000_000);
  private static OrtSession.SessionOptions options;
  private static ObjectDetector own;
  private static ObjectDetector small;
  private static BufferedImage horse;

  @BeforeAll
  static void load() throws Exception {
    options = new OrtSession.SessionOptions();
    options.setIntraOpNumThreads(1);
    VisionModelDir dir = VisionModelDir.open(VisionTestModels.detectorDir());
    own = ObjectDetector.load(dir, OrtEnvironment.getEnvironment(), options);
    small = ObjectDetector.load(dir, OrtEnvironment.getEnvironment(), options, List.of(256, 128));
    horse =
        LOADER.decode(Files.readAllBytes(VisionTestModels.IMAGES.resolve("horse.png")), "horse");
  }

  @AfterAll
  static void close() throws Exception {
    if (own != null) {
      own.close();
    }
    if (small != null) {
      small.close();
    }
    options.close();
  }

  @Test
  void anImageGoesToTheSmallestInputItsLongerSideFitsIn() {
    assertThat(small.inputSizes()).containsExactly(128, 256, 512);
    assertThat(own.inputSizes()).containsExactly(512);
    assertThat(small.inputSize(blank(64, 64))).isEqualTo(128);
    assertThat(small.inputSize(blank(128, 40))).isEqualTo(128);
    assertThat(small.inputSize(blank(100, 129))).isEqualTo(256);
    assertThat(small.inputSize(blank(257, 10))).isEqualTo(512);
    assertThat(small.inputSize(blank(2000, 1000))).isEqualTo(512);
    assertThat(own.inputSize(blank(64, 64))).isEqualTo(512);
    assertThat(small.preprocess(blank(64, 64))).hasSize(128 * 128 * 3);
  }

  @Test
  void aThumbnailAtTheSmallInputFindsTheHorseWhereTheFullPhotographHasIt() throws Exception {
    Detection full = detect(own, RgbPixels.of(horse)).get(0);
    assertThat(full.label()).isEqualTo("horse");
    for (int side : new int[] {128, 256}) {
      RgbPixels thumbnail = RgbPixels.of(TestImages.thumbnail(horse, side));
      assertThat(small.inputSize(thumbnail)).isEqualTo(side);
      Detection best = detect(small, thumbnail).get(0);
      assertThat(best.label()).as("input %d", side).isEqualTo("horse");
      // Fractions of the image: the decoder divides by this input's size, not the model's 512.
      assertThat(best.xMin()).as("input %d", side).isCloseTo(full.xMin(), within(0.08f));
      assertThat(best.yMin()).as("input %d", side).isCloseTo(full.yMin(), within(0.08f));
      assertThat(best.xMax()).as("input %d", side).isCloseTo(full.xMax(), within(0.08f));
      assertThat(best.yMax()).as("input %d", side).isCloseTo(full.yMax(), within(0.08f));
    }
  }

  @Test
  void imagesLargerThanEverySmallInputGetWhatTheModelsOwnInputGives() throws Exception {
    RgbPixels photo = RgbPixels.of(horse); // 400x328
    assertThat(small.inputSize(photo)).isEqualTo(512);
    assertThat(small.preprocess(photo)).isEqualTo(own.preprocess(photo));
    assertThat(detect(small, photo)).isEqualTo(detect(own, photo)).isNotEmpty();
  }

  @Test
  void sizesTheGraphCannotTakeAreRefused() throws Exception {
    ModelProto model = graph(VisionTestModels.detectorDir());
    assertThatThrownBy(() -> CenterNetInputSize.resize(model, "tower_0/images", 200))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("multiple of 32");
    assertThatThrownBy(() -> CenterNetInputSize.resize(model, "tower_0/images", 512))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("below the model's own 512");
    assertThatThrownBy(() -> CenterNetInputSize.resize(model, "images", 256))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no input 'images'");
    VisionModelDir dir = VisionModelDir.open(VisionTestModels.detectorDir());
    assertThatThrownBy(
            () ->
                ObjectDetector.load(
                    dir, OrtEnvironment.getEnvironment(), options, List.of(96, 100)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("input size 100");
  }

  @Test
  void aGraphWithoutCenterNetsSizeConstantsIsRefused() throws Exception {
    ModelProto safety = graph(VisionTestModels.safetyDir());
    String input = safety.getGraph().getInput(0).getName();
    assertThatThrownBy(() -> CenterNetInputSize.resize(safety, input, 128))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not the CenterNet graph this rewrite knows");
  }

  private static List<Detection> detect(ObjectDetector detector, RgbPixels image) throws Exception {
    return detector.detect(List.of(image), SETTINGS).get(0);
  }

  private static ModelProto graph(Path dir) throws IOException {
    return OnnxModels.parse(
        UnsafeByteOperations.unsafeWrap(Files.readAllBytes(dir.resolve(VisionModelDir.MODEL))));
  }

  private static RgbPixels blank(int width, int height) {
    return new RgbPixels(width, height, new int[width * height]);
  }
}
