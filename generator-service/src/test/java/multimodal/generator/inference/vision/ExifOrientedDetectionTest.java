package multimodal.generator.inference.vision;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.util.List;
import javax.imageio.ImageIO;
import multimodal.devkit.images.ExifJpegs;
import multimodal.generator.inference.image.ImageLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The detector's boxes are relative to the image as shown (EXIF orientation applied, as the encoder
 * and the gateway's thumbnails show it), not to the pixels as stored: a camera JPEG tagged "rotate
 * 90° clockwise" (orientation 6) gets the boxes of the turned photograph.
 */
class ExifOrientedDetectionTest {
  private static final DetectionSettings SETTINGS =
      DetectionSettings.HUMAN_DEFAULTS.withMinScore(0.1f);
  private static final ImageLoader LOADER = new ImageLoader(64 << 20, 100_000_000);
  private static OrtSession.SessionOptions options;
  private static ObjectDetector detector;

  @BeforeAll
  static void load() throws Exception {
    options = new OrtSession.SessionOptions();
    options.setIntraOpNumThreads(1);
    detector =
        ObjectDetector.load(
            VisionModelDir.open(VisionTestModels.detectorDir()),
            OrtEnvironment.getEnvironment(),
            options);
  }

  @AfterAll
  static void close() throws Exception {
    if (detector != null) {
      detector.close();
    }
    options.close();
  }

  @Test
  void boxesOfAnExifRotatedJpegAreThoseOfThePhotographAsShown() throws Exception {
    // horse.png has alpha, which a JPEG cannot hold: write its decoded RGB.
    BufferedImage horse =
        LOADER.decode(Files.readAllBytes(VisionTestModels.IMAGES.resolve("horse.png")), "horse");
    ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
    assertThat(ImageIO.write(horse, "jpeg", jpeg)).isTrue();
    byte[] stored = jpeg.toByteArray();

    BufferedImage asStored = LOADER.decode(stored, "stored");
    BufferedImage shown = LOADER.decode(ExifJpegs.withOrientation(stored, 6), "exif");

    assertThat(shown.getWidth()).isEqualTo(asStored.getHeight());
    assertThat(shown.getHeight()).isEqualTo(asStored.getWidth());
    List<Detection> storedBoxes = detect(asStored);
    List<Detection> shownBoxes = detect(shown);
    assertThat(shownBoxes).isNotEmpty();
    // Exactly the boxes of the stored pixels turned 90° clockwise in memory ...
    assertThat(shownBoxes).isEqualTo(detect(turnClockwise(asStored)));
    // ... and not the boxes of the pixels as stored.
    assertThat(shownBoxes).isNotEqualTo(storedBoxes);
  }

  private static List<Detection> detect(BufferedImage image) throws Exception {
    return detector.detect(List.of(RgbPixels.of(image)), SETTINGS).get(0);
  }

  private static BufferedImage turnClockwise(BufferedImage image) {
    int width = image.getWidth();
    int height = image.getHeight();
    BufferedImage turned = new BufferedImage(height, width, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        turned.setRGB(height - 1 - y, x, image.getRGB(x, y));
      }
    }
    return turned;
  }
}
