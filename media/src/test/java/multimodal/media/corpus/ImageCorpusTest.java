package multimodal.media.corpus;

import multimodal.media.ImageDecoder;
import multimodal.media.ImageLimits;
import multimodal.media.InvalidImageException;
import multimodal.media.RgbImage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shared decoder gives the corpus's verdicts; each service's own corpus test checks its path.
 */
class ImageCorpusTest {
  private final ImageDecoder decoder = new ImageDecoder(ImageLimits.PLATFORM);

  @ParameterizedTest(name = "{0}")
  @MethodSource("multimodal.media.corpus.ImageCorpus#cases")
  void theDecoderGivesEachImageItsVerdict(ImageCorpus.Case image) {
    Verdict actual;
    try {
      RgbImage decoded = decoder.decode(image.bytes(), "image");
      actual = Verdict.accepted(decoded.width(), decoded.height());
    } catch (InvalidImageException e) {
      actual = Verdict.refused(e.reason());
    }
    image.expected().assertMatches(image.name(), actual);
  }
}
