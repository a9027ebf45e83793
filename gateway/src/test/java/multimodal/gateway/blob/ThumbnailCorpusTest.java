package multimodal.gateway.blob;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import multimodal.media.ImageLimits;
import multimodal.media.InvalidImageException;
import multimodal.media.corpus.ImageCorpus;
import multimodal.media.corpus.Verdict;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The gateway's thumbnails accept and refuse the shared corpus exactly as the workers do (media's
 * ImageCorpus), at the upright size: the thumbnail side is larger than every corpus image, so the
 * thumbnail keeps the decoded size. The limits are gateway.upload.max-bytes/max-pixels' defaults.
 */
class ThumbnailCorpusTest {
  private static final int LARGER_THAN_ANY_CORPUS_IMAGE = 4096;

  @ParameterizedTest(name = "{0}")
  @MethodSource("multimodal.media.corpus.ImageCorpus#cases")
  void thumbnailsGiveEachImageTheSharedVerdict(ImageCorpus.Case image) throws IOException {
    Verdict actual;
    try {
      byte[] jpeg =
          Thumbnails.render(image.bytes(), LARGER_THAN_ANY_CORPUS_IMAGE, ImageLimits.PLATFORM);
      BufferedImage thumbnail = ImageIO.read(new ByteArrayInputStream(jpeg));
      actual = Verdict.accepted(thumbnail.getWidth(), thumbnail.getHeight());
    } catch (InvalidImageException e) {
      actual = Verdict.refused(e.reason());
    }
    image.expected().assertMatches(image.name(), actual);
  }
}
