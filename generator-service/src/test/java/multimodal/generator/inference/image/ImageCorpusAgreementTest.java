package multimodal.generator.inference.image;

import java.awt.image.BufferedImage;
import multimodal.generator.InvalidInputException;
import multimodal.media.ImageLimits;
import multimodal.media.corpus.ImageCorpus;
import multimodal.media.corpus.Verdict;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generator accepts and refuses media's shared image corpus exactly as the other services do,
 * at the same upright size, through {@link ImageLoader} (what the gRPC service and the ingest
 * consumer decode with), with the defaults of {@code generator.images.*}.
 */
class ImageCorpusAgreementTest {
  private final ImageLoader loader =
      new ImageLoader(ImageLimits.PLATFORM.maxBytes(), ImageLimits.PLATFORM.maxPixels());

  @ParameterizedTest(name = "{0}")
  @MethodSource("multimodal.media.corpus.ImageCorpus#cases")
  void theGeneratorGivesEachImageTheSharedVerdict(ImageCorpus.Case image) {
    Verdict actual;
    try {
      BufferedImage decoded = loader.decode(image.bytes(), "data.bytes");
      actual = Verdict.accepted(decoded.getWidth(), decoded.getHeight());
    } catch (InvalidInputException e) {
      actual = Verdict.refused(e.description());
    }
    image.expected().assertMatches(image.name(), actual);
  }
}
