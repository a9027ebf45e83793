package multimodal.generator.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import multimodal.generator.TestImages;
import multimodal.generator.TestModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class VitGpt2CaptionerTest {
  private static VitGpt2Captioner model;

  @BeforeAll
  static void load() throws Exception {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      model =
          VitGpt2Captioner.load(
              new ModelFiles(TestModels.captionFixture()), OrtEnvironment.getEnvironment(), options);
    }
  }

  @AfterAll
  static void close() {
    model.close();
  }

  private static String caption(BufferedImage image, DecodingOptions options) {
    return model
        .caption(List.of(image), CaptionTaskKind.CAPTION, options, GenerationControl.unlimited(),
            GenerationEngine.TokenListener.NONE)
        .get(0)
        .text();
  }

  @Test
  void namesColourAndShapeThroughTheGreedyLoopWithKvCache() {
    assertThat(caption(TestImages.shape(Color.RED, "square", 224), model.defaults()))
        .isEqualTo("a red square");
    assertThat(caption(TestImages.shape(Color.BLUE, "circle", 300), model.defaults()))
        .isEqualTo("a blue circle");
    assertThat(caption(TestImages.shape(Color.YELLOW, "circle", 180), model.defaults()))
        .isEqualTo("a yellow circle");
  }

  @Test
  void batchedImagesGetTheirOwnCaptionsInOrder() {
    List<BufferedImage> images =
        List.of(
            TestImages.shape(Color.GREEN, "circle", 224),
            TestImages.shape(Color.BLACK, "square", 224),
            TestImages.shape(Color.RED, "circle", 224));
    List<Generated> out =
        model.caption(images, CaptionTaskKind.CAPTION, model.defaults(),
            GenerationControl.unlimited(), GenerationEngine.TokenListener.NONE);
    assertThat(out).extracting(Generated::text)
        .containsExactly("a green circle", "a black square", "a red circle");
    assertThat(out).extracting(Generated::tokens).containsOnly(3);
  }

  @Test
  void recomputingWithoutCacheAndBeamSearchGiveTheSameCaption() {
    BufferedImage image = TestImages.shape(Color.BLUE, "square", 224);
    assertThat(caption(image, model.defaults().withCache(false))).isEqualTo("a blue square");
    DecodingOptions beams =
        new DecodingOptions(10, 3, 1.0f, 0, 1.0f, model.defaults().stopTokens(), true);
    assertThat(caption(image, beams)).isEqualTo("a blue square");
  }

  @Test
  void maxNewTokensCutsTheCaption() {
    DecodingOptions two = DecodingOptions.greedy(2, model.defaults().stopTokens());
    assertThat(caption(TestImages.shape(Color.RED, "square", 224), two)).isEqualTo("a red");
  }

  @Test
  void streamsTokensAsTheyAreGenerated() {
    List<String> pieces = new ArrayList<>();
    model.caption(List.of(TestImages.shape(Color.GREEN, "square", 224)), CaptionTaskKind.CAPTION,
        model.defaults(), GenerationControl.unlimited(),
        (input, token) -> pieces.add(model.decode(new long[] {token})));
    assertThat(pieces).containsExactly("a", "green", "square");
  }

  @Test
  void cancellingStopsGeneration() {
    AtomicInteger seen = new AtomicInteger();
    GenerationControl control = GenerationControl.unlimited();
    assertThatThrownBy(
            () ->
                model.caption(List.of(TestImages.shape(Color.RED, "square", 224)),
                    CaptionTaskKind.CAPTION, model.defaults(), control,
                    (input, token) -> {
                      seen.incrementAndGet();
                      control.cancel();
                    }))
        .isInstanceOf(GenerationStoppedException.class)
        .extracting(e -> ((GenerationStoppedException) e).reason())
        .isEqualTo(GenerationStoppedException.Reason.CANCELLED);
    assertThat(seen).hasValue(1);
  }

  @Test
  void anExpiredDeadlineStopsGeneration() {
    assertThatThrownBy(
            () ->
                model.caption(List.of(TestImages.shape(Color.RED, "square", 224)),
                    CaptionTaskKind.CAPTION, model.defaults(),
                    GenerationControl.withTimeout(Duration.ZERO), GenerationEngine.TokenListener.NONE))
        .isInstanceOf(GenerationStoppedException.class)
        .extracting(e -> ((GenerationStoppedException) e).reason())
        .isEqualTo(GenerationStoppedException.Reason.DEADLINE);
  }
}
