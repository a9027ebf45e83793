package multimodal.generator.inference.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The production path (the shared media ImageDecoder through ImageLoader, TF-exact resize, the
 * imported ONNX models, tag decoding) against TensorFlow.js running the original graph models on
 * the ten shared photographs (testdata/vision-golden, written by
 * model-import/reference/goldens.js).
 */
class VisionGoldenTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The service's default tag settings (GeneratorConfig.Vision). */
  private static final DetectionSettings SERVICE = new DetectionSettings(0.3f, 0.4f, 10, true);

  /** JPEG decoders differ (see {@link TfResizeGoldenTest#JPEG}): 0.01 on their scores and boxes. */
  private static final Set<String> JPEG = TfResizeGoldenTest.JPEG;

  private static OrtSession.SessionOptions options;
  private static ObjectDetector detector;
  private static SafetyClassifier safety;

  @BeforeAll
  static void load() throws Exception {
    options = new OrtSession.SessionOptions();
    options.setIntraOpNumThreads(1);
    detector =
        ObjectDetector.load(
            VisionModelDir.open(VisionTestModels.detectorDir()),
            OrtEnvironment.getEnvironment(),
            options);
    safety =
        SafetyClassifier.load(
            VisionModelDir.open(VisionTestModels.safetyDir()),
            OrtEnvironment.getEnvironment(),
            options);
  }

  @AfterAll
  static void close() throws Exception {
    if (detector != null) {
      detector.close();
    }
    if (safety != null) {
      safety.close();
    }
    options.close();
  }

  private static JsonNode images(String golden) throws IOException {
    return JSON.readTree(VisionTestModels.golden(golden).toFile()).get("images");
  }

  private static RgbPixels decode(String file) throws IOException {
    return TfResizeGoldenTest.decode(file);
  }

  /** The reference's tags: its raw rows through the same (unit-tested, TF-semantics) decoding. */
  private static List<Detection> referenceTags(JsonNode rows, DetectionSettings settings) {
    float[] values = new float[rows.size() * CenterNetDecoder.ROW];
    for (int i = 0; i < rows.size(); i++) {
      JsonNode row = rows.get(i);
      for (int k = 0; k < 4; k++) {
        values[i * 6 + k] = (float) row.get("box").get(k).asDouble();
      }
      values[i * 6 + 4] = (float) row.get("score").asDouble();
      values[i * 6 + 5] = row.get("classIndex").asInt();
    }
    return new CenterNetDecoder(detector.labels(), 512).decode(values, 0, rows.size(), settings);
  }

  @Test
  void tagsOfTheTenPhotographsEqualTheTensorFlowJsReference() throws Exception {
    JsonNode centernet = images("centernet-coco.json");
    for (DetectionSettings settings :
        List.of(SERVICE, SERVICE.withClassAware(false), DetectionSettings.HUMAN_DEFAULTS)) {
      System.out.println("tags at " + settings);
      for (Iterator<Map.Entry<String, JsonNode>> it = centernet.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> image = it.next();
        String file = image.getKey();
        List<Detection> expected = referenceTags(image.getValue().get("detections"), settings);
        List<Detection> actual = detector.detect(List.of(decode(file)), settings).get(0);
        System.out.printf("  %-22s %s%n", file, describe(actual));
        assertThat(actual)
            .extracting(Detection::label)
            .as(file)
            .containsExactlyElementsOf(expected.stream().map(Detection::label).toList());
        double tolerance = JPEG.contains(file) ? 1e-2 : 1e-3;
        for (int i = 0; i < actual.size(); i++) {
          Detection a = actual.get(i);
          Detection e = expected.get(i);
          assertThat(a.score())
              .as(file + " " + a.label() + " score")
              .isCloseTo(e.score(), within((float) tolerance));
          assertThat(new float[] {a.xMin(), a.yMin(), a.xMax(), a.yMax()})
              .as(file + " " + a.label() + " box")
              .containsExactly(
                  new float[] {e.xMin(), e.yMin(), e.xMax(), e.yMax()}, within((float) tolerance));
        }
      }
    }
  }

  @Test
  void theServiceDefaultsTagWhatThePhotographsShow() throws Exception {
    Map<String, List<String>> expected =
        Map.of(
            "horse.png", List.of("horse"),
            "astronaut.png", List.of("person"),
            "camera.png", List.of("person"),
            "chelsea.png", List.of("dog")); // a cat: the model's mistake, reported as it is
    for (Map.Entry<String, List<String>> entry : expected.entrySet()) {
      List<Detection> tags = detector.detect(List.of(decode(entry.getKey())), SERVICE).get(0);
      assertThat(tags)
          .extracting(Detection::label)
          .as(entry.getKey())
          .containsExactlyElementsOf(entry.getValue());
    }
    List<Detection> coffee = detector.detect(List.of(decode("coffee.png")), SERVICE).get(0);
    assertThat(coffee).extracting(Detection::label).containsExactly("cup", "dining table");
    assertThat(detector.detect(List.of(decode("coffee.png")), SERVICE.withClassAware(false)).get(0))
        .extracting(Detection::label)
        .containsExactly("cup"); // class-agnostic: the cup's box lies inside the table's
  }

  @Test
  void safetyScoresEqualTheReferenceAndEveryPhotographIsNeutralOrDrawing() throws Exception {
    JsonNode nsfw = images("nsfw-mobilenet-v2-mid.json");
    List<String> files = new ArrayList<>();
    nsfw.fieldNames().forEachRemaining(files::add);
    List<RgbPixels> pixels = new ArrayList<>();
    for (String file : files) {
      pixels.add(decode(file));
    }
    List<SafetyScores> scores = safety.classify(pixels); // one batch: the graph's batch is dynamic
    for (int i = 0; i < files.size(); i++) {
      String file = files.get(i);
      SafetyScores s = scores.get(i);
      System.out.printf("%-22s %s unsafe %.4f -> %s%n", file, s.classes(), s.unsafe(), s.top());
      double tolerance = JPEG.contains(file) ? 1e-2 : 1e-3;
      JsonNode reference = nsfw.get(file).get("probabilities");
      List<String> referenceClasses = new ArrayList<>();
      reference.fieldNames().forEachRemaining(referenceClasses::add);
      for (int c = 0; c < s.classes().size(); c++) {
        // The service reports nsfwjs's class names in lower case, the reference as nsfwjs spells
        // them.
        SafetyScores.ClassProbability mine = s.classes().get(c);
        assertThat(mine.label())
            .isEqualTo(referenceClasses.get(c).toLowerCase(java.util.Locale.ROOT));
        assertThat(mine.probability())
            .as(file + " " + mine.label())
            .isCloseTo(
                (float) reference.get(referenceClasses.get(c)).asDouble(),
                within((float) tolerance));
      }
      assertThat(s.top()).as(file).isIn("neutral", "drawing");
      assertThat(s.unsafe())
          .isCloseTo(
              s.classes().get(1).probability()
                  + s.classes().get(3).probability()
                  + s.classes().get(4).probability(),
              within(1e-6f));
    }
  }

  private static String describe(List<Detection> tags) {
    StringBuilder text = new StringBuilder();
    for (Detection d : tags) {
      text.append(
          String.format(
              "%s %.4f [%.3f %.3f %.3f %.3f]  ",
              d.label(), d.score(), d.xMin(), d.yMin(), d.xMax(), d.yMax()));
    }
    return text.length() == 0 ? "(none)" : text.toString();
  }
}
