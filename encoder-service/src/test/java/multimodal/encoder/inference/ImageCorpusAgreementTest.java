package multimodal.encoder.inference;

import ai.onnxruntime.OrtEnvironment;
import java.util.Optional;
import multimodal.encoder.InvalidInputException;
import multimodal.encoder.TestModels;
import multimodal.media.ImageDecoder;
import multimodal.media.ImageLimits;
import multimodal.media.corpus.ImageCorpus;
import multimodal.media.corpus.Verdict;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The encoder accepts and refuses media's shared image corpus exactly as the other services do,
 * through the path the gRPC service and the Kafka consumer both take ({@link
 * EmbeddingModel#preprocess}), with the limits' defaults ({@code encoder.images.*}). Its output is
 * a fixed-size crop, so accepted images are checked for acceptance only; the sizes are the corpus's
 * other tests' business.
 */
class ImageCorpusAgreementTest {
  private static EmbeddingModel model;

  @BeforeAll
  static void load() {
    ModelLoader loader =
        new ModelLoader(
            OrtEnvironment.getEnvironment(),
            new OrtSettings(1, 1, "basic", "cpu", 0),
            new ImageDecoder(ImageLimits.PLATFORM));
    model = loader.load("clip", TestModels.clipFixture(), Optional.empty());
  }

  @AfterAll
  static void close() throws Exception {
    model.close();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("multimodal.media.corpus.ImageCorpus#cases")
  void theEncoderGivesEachImageTheSharedVerdict(ImageCorpus.Case image) {
    Verdict actual;
    try {
      float[] pixels = model.preprocess(image.bytes(), "data.bytes");
      actual = pixels.length > 0 ? Verdict.acceptedUnmeasured() : Verdict.refused("no pixels");
    } catch (InvalidInputException e) {
      actual = Verdict.refused(e.description());
    }
    image.expected().assertMatches(image.name(), actual);
  }
}
