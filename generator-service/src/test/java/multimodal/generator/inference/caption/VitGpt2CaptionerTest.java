package multimodal.generator.inference.caption;

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
import multimodal.generator.inference.generation.DecodingOptions;
import multimodal.generator.inference.generation.Generated;
import multimodal.generator.inference.generation.GenerationControl;
import multimodal.generator.inference.generation.GenerationEngine;
import multimodal.generator.inference.generation.GenerationStoppedException;
import multimodal.generator.inference.onnx.ModelFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class VitGpt2CaptionerTest {
  private static final List<BufferedImage> BATCH =
      List.of(
          TestImages.shape(Color.GREEN, "circle", 224),
          TestImages.shape(Color.BLACK, "square", 224),
          TestImages.shape(Color.RED, "circle", 224));
  private static final List<String> BATCH_CAPTIONS =
      List.of("a green circle", "a black square", "a red circle");

  private static OrtSession.SessionOptions sessionOptions;

  /** Cross-attention split out of the decoder (the default). */
  private static VitGpt2Captioner model;

  /** The decoder as exported ({@code generator.decoder.cache-cross-attention=false}). */
  private static VitGpt2Captioner asExported;

  @BeforeAll
  static void load() throws Exception {
    sessionOptions =
        new OrtSession.SessionOptions(); // open while used: recompute loads the original decoder
    ModelFiles files = new ModelFiles(TestModels.captionFixture());
    model = VitGpt2Captioner.load(files, OrtEnvironment.getEnvironment(), sessionOptions);
    asExported =
        VitGpt2Captioner.load(files, OrtEnvironment.getEnvironment(), sessionOptions, false);
  }

  @AfterAll
  static void close() {
    model.close();
    asExported.close();
    sessionOptions.close();
  }

  private static String caption(BufferedImage image, DecodingOptions options) {
    return captions(model, List.of(image), options).get(0);
  }

  private static List<String> captions(
      VitGpt2Captioner captioner, List<BufferedImage> images, DecodingOptions options) {
    return captioner
        .caption(
            images,
            CaptionTaskKind.CAPTION,
            options,
            GenerationControl.unlimited(),
            GenerationEngine.TokenListener.NONE)
        .stream()
        .map(Generated::text)
        .toList();
  }

  @Test
  void theDecoderIsSplitAtLoadUnlessTurnedOff() throws Exception {
    // the fixture's encoder-only part: the centre/corner patch reads and their colour/shape scores
    assertThat(model.decoderSetup()).startsWith("cross-attention cached: 12 nodes hoisted");
    assertThat(model.cachedDecoder().getInputNames())
        .contains("colour_vocab3", "shape_vocab3")
        .doesNotContain(VitGpt2Captioner.ENCODER_HIDDEN_STATES);
    assertThat(asExported.decoderSetup()).contains("turned off");
    assertThat(asExported.cachedDecoder().getInputNames())
        .contains(VitGpt2Captioner.ENCODER_HIDDEN_STATES)
        .doesNotContain("colour_vocab3");
  }

  @Test
  void splitAndExportedDecodersCaptionTheSameGreedyWithBeamsAndRecomputing() {
    DecodingOptions greedy = model.defaults();
    DecodingOptions beams = new DecodingOptions(10, 3, 1.0f, 0, 1.0f, greedy.stopTokens(), true);
    for (DecodingOptions options :
        List.of(greedy, beams, greedy.withCache(false), beams.withCache(false))) {
      assertThat(captions(model, BATCH, options))
          .as("split, %s", options)
          .isEqualTo(BATCH_CAPTIONS);
      assertThat(captions(asExported, BATCH, options))
          .as("as exported, %s", options)
          .isEqualTo(BATCH_CAPTIONS);
    }
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
    List<Generated> out =
        model.caption(
            BATCH,
            CaptionTaskKind.CAPTION,
            model.defaults(),
            GenerationControl.unlimited(),
            GenerationEngine.TokenListener.NONE);
    assertThat(out).extracting(Generated::text).containsExactlyElementsOf(BATCH_CAPTIONS);
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
    model.caption(
        List.of(TestImages.shape(Color.GREEN, "square", 224)),
        CaptionTaskKind.CAPTION,
        model.defaults(),
        GenerationControl.unlimited(),
        (input, token) -> pieces.add(model.decode(new long[] {token})));
    assertThat(pieces).containsExactly("a", "green", "square");
  }

  @Test
  void cancellingStopsGeneration() {
    AtomicInteger seen = new AtomicInteger();
    GenerationControl control = GenerationControl.unlimited();
    assertThatThrownBy(
            () ->
                model.caption(
                    List.of(TestImages.shape(Color.RED, "square", 224)),
                    CaptionTaskKind.CAPTION,
                    model.defaults(),
                    control,
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
                model.caption(
                    List.of(TestImages.shape(Color.RED, "square", 224)),
                    CaptionTaskKind.CAPTION,
                    model.defaults(),
                    GenerationControl.withTimeout(Duration.ZERO),
                    GenerationEngine.TokenListener.NONE))
        .isInstanceOf(GenerationStoppedException.class)
        .extracting(e -> ((GenerationStoppedException) e).reason())
        .isEqualTo(GenerationStoppedException.Reason.DEADLINE);
  }
}
