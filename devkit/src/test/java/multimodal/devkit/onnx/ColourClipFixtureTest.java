package multimodal.devkit.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import multimodal.devkit.images.ShapeImages;
import multimodal.devkit.images.ShapeImages.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ColourClipFixtureTest {
  private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
  @TempDir static Path temp;
  private static Path dir;
  private static OrtSession text;
  private static OrtSession vision;
  private static JsonNode vocab;

  @BeforeAll
  static void generate() throws Exception {
    dir = FixtureModels.writeClipFixture(temp);
    text = ENV.createSession(dir.resolve("onnx/text_model.onnx").toString());
    vision = ENV.createSession(dir.resolve("onnx/vision_model.onnx").toString());
    vocab =
        new ObjectMapper()
            .readTree(dir.resolve("tokenizer.json").toFile())
            .path("model")
            .path("vocab");
  }

  @AfterAll
  static void close() throws Exception {
    text.close();
    vision.close();
  }

  @Test
  void writesTheSplitLayoutFiles() throws Exception {
    assertThat(dir.resolve("preprocessor_config.json")).exists();
    assertThat(dir.resolve("tokenizer_config.json")).exists();
    JsonNode config = new ObjectMapper().readTree(dir.resolve("config.json").toFile());
    assertThat(config.path("fixture").asBoolean()).isTrue();
    assertThat(config.path("projection_dim").asInt()).isEqualTo(512);
  }

  @Test
  void generationIsDeterministic() {
    Map<String, byte[]> first = new ColourClipFixture().files();
    Map<String, byte[]> second = new ColourClipFixture().files();
    assertThat(first.keySet()).containsExactlyElementsOf(second.keySet());
    first.forEach((name, bytes) -> assertThat(second.get(name)).as(name).isEqualTo(bytes));
  }

  @Test
  void graphsHaveTheTransformersJsInterface() throws Exception {
    TensorInfo ids = (TensorInfo) text.getInputInfo().get("input_ids").getInfo();
    assertThat(text.getInputNames()).containsExactly("input_ids");
    assertThat(ids.type.toString()).isEqualTo("INT64");
    assertThat(ids.getDimensionNames()).containsExactly("batch_size", "sequence_length");
    TensorInfo textOut = (TensorInfo) text.getOutputInfo().get("text_embeds").getInfo();
    assertThat(textOut.getShape()).containsExactly(-1, 512);

    assertThat(vision.getInputNames()).containsExactly("pixel_values");
    TensorInfo pixels = (TensorInfo) vision.getInputInfo().get("pixel_values").getInfo();
    assertThat(pixels.type.toString()).isEqualTo("FLOAT");
    assertThat(pixels.getDimensionNames())
        .containsExactly("batch_size", "num_channels", "height", "width");
    NodeInfo imageOut = vision.getOutputInfo().get("image_embeds");
    assertThat(((TensorInfo) imageOut.getInfo()).getShape()).containsExactly(-1, 512);
  }

  @Test
  void towersAgreeOnColour() throws Exception {
    float[] redImage = imageEmbedding(new int[] {255, 0, 0});
    float[] redCar = textEmbedding("a", "red", "car");
    float[] blueCar = textEmbedding("a", "blue", "car");

    assertThat(cosine(redCar, redImage)).isGreaterThan(0.99);
    assertThat(cosine(blueCar, redImage)).isLessThan(0.0);
    assertThat(cosine(textEmbedding("a", "blue", "car"), imageEmbedding(new int[] {0, 0, 255})))
        .isGreaterThan(
            cosine(textEmbedding("a", "yellow", "car"), imageEmbedding(new int[] {0, 0, 255})));
    // Not normalised, like the real split export.
    assertThat(norm(redImage)).isGreaterThan(1.5);
  }

  @Test
  void textWithoutColourWordsIsNotZero() throws Exception {
    assertThat(norm(textEmbedding("a", "car"))).isGreaterThan(0.0);
  }

  @Test
  void towersAgreeOnShapeAtEverySizeInTheDocumentedRange() throws Exception {
    for (double fraction = ShapeImages.MIN_FRACTION;
        fraction <= ShapeImages.MAX_FRACTION + 1e-9;
        fraction += 0.05) {
      for (Shape shape : Shape.values()) {
        float[] image = imageEmbedding(ShapeImages.draw(shape, Color.RED, 224, fraction));
        Shape best = null;
        for (Shape caption : Shape.values()) {
          if (best == null
              || cosine(textEmbedding("a", "red", caption.word()), image)
                  > cosine(textEmbedding("a", "red", best.word()), image)) {
            best = caption;
          }
        }
        assertThat(best).as("%s at %.2f", shape, fraction).isEqualTo(shape);
      }
    }
  }

  @Test
  void imagesWithoutAWhiteBackgroundAndTextsWithoutShapeWordsHaveNoShape() throws Exception {
    float[] solid = imageEmbedding(new int[] {255, 0, 0});
    float[] text = textEmbedding("something", "red");
    for (int dim = 0; dim < ColourClipFixture.SHAPES.size(); dim++) {
      assertThat(solid[ColourClipFixture.SHAPE_DIM + dim]).isEqualTo(0f);
      assertThat(text[ColourClipFixture.SHAPE_DIM + dim]).isEqualTo(0f);
    }
    float[] blank = imageEmbedding(ShapeImages.draw(Shape.CIRCLE, Color.WHITE, 224, 0.6));
    assertThat(norm(blank)).isGreaterThan(0.0);
    for (int dim = 0; dim < ColourClipFixture.SHAPES.size(); dim++) {
      assertThat(blank[ColourClipFixture.SHAPE_DIM + dim]).isEqualTo(0f);
    }
  }

  private float[] textEmbedding(String... words) throws Exception {
    long[] ids = new long[words.length + 2];
    ids[0] = 49406;
    for (int i = 0; i < words.length; i++) {
      ids[i + 1] = vocab.get(words[i] + "</w>").asLong();
    }
    ids[ids.length - 1] = 49407;
    try (OnnxTensor input = OnnxTensor.createTensor(ENV, new long[][] {ids});
        OrtSession.Result result = text.run(Map.of("input_ids", input), Set.of("text_embeds"))) {
      return ((float[][]) result.get(0).getValue())[0];
    }
  }

  private float[] imageEmbedding(int[] rgb) throws Exception {
    float[] pixel = ColourClipFixture.normalisedPixel(rgb);
    int plane = 224 * 224;
    float[] data = new float[3 * plane];
    for (int c = 0; c < 3; c++) {
      Arrays.fill(data, c * plane, (c + 1) * plane, pixel[c]);
    }
    return imageEmbedding(data);
  }

  /** A 224 × 224 image, normalised like CLIP's preprocessing (no resize needed). */
  private float[] imageEmbedding(BufferedImage image) throws Exception {
    int plane = 224 * 224;
    float[] data = new float[3 * plane];
    for (int y = 0; y < 224; y++) {
      for (int x = 0; x < 224; x++) {
        int argb = image.getRGB(x, y);
        float[] pixel =
            ColourClipFixture.normalisedPixel(
                new int[] {(argb >> 16) & 0xff, (argb >> 8) & 0xff, argb & 0xff});
        for (int c = 0; c < 3; c++) {
          data[c * plane + y * 224 + x] = pixel[c];
        }
      }
    }
    return imageEmbedding(data);
  }

  private float[] imageEmbedding(float[] data) throws Exception {
    try (OnnxTensor input =
            OnnxTensor.createTensor(ENV, FloatBuffer.wrap(data), new long[] {1, 3, 224, 224});
        OrtSession.Result result = vision.run(Map.of("pixel_values", input))) {
      return ((float[][]) result.get(0).getValue())[0];
    }
  }

  private static double norm(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += x * x;
    }
    return Math.sqrt(sum);
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
    }
    return dot / (norm(a) * norm(b));
  }
}
