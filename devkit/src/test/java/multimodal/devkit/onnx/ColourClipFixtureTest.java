package multimodal.devkit.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
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
    vocab = new ObjectMapper().readTree(dir.resolve("tokenizer.json").toFile()).path("model").path("vocab");
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
        .isGreaterThan(cosine(textEmbedding("a", "yellow", "car"), imageEmbedding(new int[] {0, 0, 255})));
    // Not normalised, like the real split export.
    assertThat(norm(redImage)).isGreaterThan(1.5);
  }

  @Test
  void textWithoutColourWordsIsNotZero() throws Exception {
    assertThat(norm(textEmbedding("a", "car"))).isGreaterThan(0.0);
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
