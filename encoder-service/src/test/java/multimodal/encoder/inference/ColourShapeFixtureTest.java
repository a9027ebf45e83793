package multimodal.encoder.inference;

import static multimodal.encoder.Vectors.cosine;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import multimodal.devkit.images.ShapeImages;
import multimodal.devkit.images.ShapeImages.Shape;
import multimodal.devkit.onnx.ColourClipFixture;
import multimodal.encoder.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fixture CLIP's towers agree on colour and simple shape: zero-shot and retrieval on generated
 * pictures ({@link ShapeImages}) through the production code (ModelLoader, Pillow-exact
 * preprocessing, ClipModel), in all three export layouts, and zero-shot also with the split
 * layout's graphs in int8.
 */
class ColourShapeFixtureTest {
  private static final Map<String, Color> COLOURS = colours();
  private static final double[] FRACTIONS = {
    ShapeImages.MIN_FRACTION, 0.65, ShapeImages.MAX_FRACTION
  };

  /** 224 is the crop itself; the others go through the bicubic resize, down and up. */
  private static final int[] SIDES = {224, 401, 150};

  private static final Path PHOTOS = Path.of("..", "testdata", "images");
  private static final List<String> DRAWINGS_ON_WHITE = List.of("CLIP.png", "horse.png");
  @RegisterExtension static final FixtureLayouts LAYOUTS = new FixtureLayouts();

  @ParameterizedTest
  @ValueSource(strings = {"split", "combined", "immich", "split-int8"})
  void zeroShotNamesTheColourAndShapeOfEveryPicture(String layout) throws Exception {
    ClipModel model = LAYOUTS.get(layout);
    List<String> captions = new ArrayList<>();
    COLOURS
        .keySet()
        .forEach(
            c -> Stream.of(Shape.values()).forEach(s -> captions.add("a " + c + " " + s.word())));
    float[][] texts = model.embedTexts(captions);

    for (Map.Entry<String, Color> colour : COLOURS.entrySet()) {
      for (Shape shape : Shape.values()) {
        for (double fraction : FRACTIONS) {
          for (int side : SIDES) {
            float[] image = embed(model, ShapeImages.png(shape, colour.getValue(), side, fraction));
            String expected = "a " + colour.getKey() + " " + shape.word();
            assertThat(captions.get(best(texts, image)))
                .as("%s drawn at %.2f of a %d-pixel canvas", expected, fraction, side)
                .isEqualTo(expected);
          }
        }
      }
    }
  }

  @Test
  void aRedCircleIsNearerItsCaptionThanTheOtherShapeOrColour() throws Exception {
    ClipModel model = LAYOUTS.get("split");
    float[][] texts =
        model.embedTexts(List.of("a red circle", "a red square", "a blue circle", "a circle"));
    float[] redCircle = embed(model, ShapeImages.png(Shape.CIRCLE, Color.RED, 300, 0.6));

    double matching = cosine(texts[0], redCircle);
    assertThat(matching).isGreaterThan(0.95);
    assertThat(matching).isGreaterThan(cosine(texts[1], redCircle) + 0.1);
    assertThat(matching).isGreaterThan(cosine(texts[2], redCircle) + 0.5);
    // A shape alone finds it too: "a circle" is nearer the red circle than the red square.
    float[] redSquare = embed(model, ShapeImages.png(Shape.SQUARE, Color.RED, 300, 0.6));
    assertThat(cosine(texts[3], redCircle)).isGreaterThan(cosine(texts[3], redSquare));
  }

  @Test
  void retrievalFindsTheRightPictureAmongShapesAndPhotos() throws Exception {
    ClipModel model = LAYOUTS.get("split");
    Map<String, float[]> gallery = new LinkedHashMap<>();
    for (Map.Entry<String, Color> colour : COLOURS.entrySet()) {
      for (Shape shape : Shape.values()) {
        gallery.put(
            colour.getKey() + " " + shape.word(),
            embed(model, ShapeImages.png(shape, colour.getValue(), 256, 0.7)));
      }
    }
    gallery.putAll(photos(model));

    for (String caption : List.of("red circle", "blue square", "green triangle", "yellow square")) {
      float[] query = model.embedTexts(List.of("a photo of a " + caption))[0];
      assertThat(nearest(gallery, query)).as(caption).isEqualTo(caption);
    }
  }

  @Test
  void photosHaveNoShapeSoColourQueriesRankThemByColourAlone() throws Exception {
    ClipModel model = LAYOUTS.get("split");
    Map<String, float[]> photos = photos(model);
    for (Map.Entry<String, float[]> photo : photos.entrySet()) {
      double shape = 0;
      for (int dim = 0; dim < ColourClipFixture.SHAPES.size(); dim++) {
        shape += Math.abs(photo.getValue()[ColourClipFixture.SHAPE_DIM + dim]);
      }
      // Only the two drawings on white (the CLIP diagram, the horse silhouette) get a shape.
      if (DRAWINGS_ON_WHITE.contains(photo.getKey())) {
        assertThat(shape).as(photo.getKey()).isGreaterThan(0.1);
      } else {
        assertThat(shape).as(photo.getKey()).isZero();
      }
    }
    // A solid red picture among the ten photos is the best match for "something red".
    photos.put("solid red", embed(model, TestImages.solidPng(120, 90, new Color(220, 20, 20))));
    assertThat(nearest(photos, model.embedTexts(List.of("something red"))[0]))
        .isEqualTo("solid red");
  }

  private static Map<String, float[]> photos(ClipModel model) throws IOException {
    Map<String, float[]> photos = new LinkedHashMap<>();
    try (Stream<Path> files = Files.list(PHOTOS)) {
      for (Path file : files.sorted().toList()) {
        photos.put(file.getFileName().toString(), embed(model, Files.readAllBytes(file)));
      }
    }
    assertThat(photos).hasSize(10);
    return photos;
  }

  private static float[] embed(ClipModel model, byte[] encoded) {
    try {
      return model.embedPixels(List.of(model.preprocess(encoded, "image")))[0];
    } catch (ai.onnxruntime.OrtException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int best(float[][] texts, float[] image) {
    return IntStream.range(0, texts.length)
        .boxed()
        .max(Comparator.comparingDouble(i -> cosine(texts[i], image)))
        .orElseThrow();
  }

  private static String nearest(Map<String, float[]> gallery, float[] query) {
    return gallery.entrySet().stream()
        .max(Comparator.comparingDouble(e -> cosine(query, e.getValue())))
        .orElseThrow()
        .getKey();
  }

  private static Map<String, Color> colours() {
    Map<String, Color> colours = new LinkedHashMap<>();
    colours.put("red", new Color(220, 20, 20));
    colours.put("green", new Color(20, 200, 40));
    colours.put("blue", new Color(30, 40, 230));
    colours.put("yellow", new Color(250, 220, 0));
    return colours;
  }
}
