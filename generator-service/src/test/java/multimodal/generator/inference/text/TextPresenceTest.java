package multimodal.generator.inference.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import multimodal.generator.TestImages;
import multimodal.generator.inference.image.ImageLoader;
import org.junit.jupiter.api.Test;

/**
 * The text check before OCR: text that Tesseract reads is found (so it is still OCR'd), and
 * pictures without text (shapes, flat colour, most of the shared photographs) are not.
 */
class TextPresenceTest {
  private final TextPresence check = new TextPresence();
  private final TesseractOcr ocr =
      new TesseractOcr(
          TesseractOcr.findTessdata(Optional.empty())
              .orElseThrow(() -> new IllegalStateException("install tesseract-ocr-eng")),
          "eng");

  @Test
  void findsRenderedTextThatTesseractReads() {
    for (String text : List.of("HELLO WORLD 2024", "Invoice total 42", "EXIT 12", "Open 24h")) {
      BufferedImage image = TestImages.text(text, 900, 150);
      assertThat(check.mayContainText(image)).as(text).isTrue();
      assertThat(ocr.read(image, List.of())).isEqualTo(text);
    }
  }

  @Test
  void findsLightTextOnDarkGroundAndSmallText() {
    BufferedImage inverted = draw(400, 80, Color.DARK_GRAY, Color.WHITE, 32, "Night mode");
    assertThat(check.mayContainText(inverted)).isTrue();
    assertThat(ocr.read(inverted, List.of())).isEqualTo("Night mode");
    BufferedImage small = draw(64, 64, Color.WHITE, Color.BLACK, 14, "SALE");
    assertThat(check.mayContainText(small)).isTrue();
  }

  @Test
  void findsNoTextInShapesAndFlatImages() {
    assertThat(check.mayContainText(TestImages.shape(Color.RED, "circle", 64))).isFalse();
    assertThat(check.mayContainText(TestImages.shape(Color.BLUE, "square", 224))).isFalse();
    assertThat(check.mayContainText(TestImages.text("", 400, 150))).isFalse();
    BufferedImage noise = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    java.util.Random random = new java.util.Random(3);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        noise.setRGB(x, y, random.nextInt(0x1000000));
      }
    }
    // Noise is not text either way: either the check skips it or Tesseract finds nothing.
    assertThat(!check.mayContainText(noise) || ocr.read(noise, List.of()).isBlank()).isTrue();
  }

  @Test
  void sharedPhotographs() throws Exception {
    ImageLoader loader = new ImageLoader(64 << 20, 100_000_000);
    Map<String, Boolean> verdicts = new TreeMap<>();
    try (Stream<Path> files = Files.list(Path.of("../testdata/images"))) {
      for (Path file : files.sorted().toList()) {
        BufferedImage image = loader.decode(Files.readAllBytes(file), file.toString());
        long start = System.nanoTime();
        boolean text = check.mayContainText(image);
        System.out.printf(
            "%s %dx%d: %s in %.1f ms (longest line %d glyphs)%n",
            file.getFileName(),
            image.getWidth(),
            image.getHeight(),
            text ? "text" : "no text",
            (System.nanoTime() - start) / 1e6,
            check.longestLine(image, 99));
        verdicts.put(file.getFileName().toString(), text);
      }
    }
    // CLIP.png is a diagram with labels: it must still be OCR'd.
    assertThat(verdicts.get("CLIP.png")).isTrue();
    // The photographs without text (coins.png's row of coins reads as a line, and Tesseract reads
    // "ec0cee @ ..." there: the check errs towards OCR).
    assertThat(verdicts).containsEntry("coins.png", true);
    assertThat(
            verdicts.entrySet().stream().filter(v -> !v.getValue()).map(Map.Entry::getKey).toList())
        .containsExactly(
            "astronaut.png",
            "camera.png",
            "chelsea.png",
            "clock_motion.png",
            "coffee.png",
            "horse.png",
            "hubble_deep_field.jpg",
            "rocket.jpg");
  }

  @Test
  void otsuRefusesFlatAndLowContrastImages() {
    int[] flat = new int[256];
    flat[128] = 100;
    assertThat(TextPresence.otsu(flat)).isEqualTo(-1);
    int[] faint = new int[256];
    faint[120] = 50;
    faint[130] = 50;
    assertThat(TextPresence.otsu(faint)).isEqualTo(-1);
    int[] split = new int[256];
    split[20] = 50;
    split[230] = 50;
    assertThat(TextPresence.otsu(split)).isBetween(20, 229);
  }

  @Test
  void aLineNeedsFourGlyphsOnOneBaseline() {
    TextPresence.Blob a = new TextPresence.Blob(0, 10, 7, 21, 40);
    TextPresence.Blob b = new TextPresence.Blob(10, 10, 17, 21, 40);
    TextPresence.Blob c = new TextPresence.Blob(20, 14, 27, 21, 30); // shorter: an x-height letter
    TextPresence.Blob d = new TextPresence.Blob(30, 10, 37, 21, 40);
    TextPresence.Blob descender =
        new TextPresence.Blob(30, 14, 37, 25, 40); // g, p, y: off the baseline
    TextPresence.Blob e = new TextPresence.Blob(40, 10, 47, 21, 40);
    TextPresence.Blob below = new TextPresence.Blob(30, 40, 37, 51, 40);
    TextPresence.Blob far = new TextPresence.Blob(80, 10, 87, 21, 40);
    assertThat(TextPresence.hasLine(List.of(a, b, c, d))).isTrue();
    assertThat(TextPresence.hasLine(List.of(d, c, a, b))).isTrue();
    assertThat(TextPresence.hasLine(List.of(a, b, c, descender))).isFalse();
    assertThat(TextPresence.hasLine(List.of(a, b, c, descender, d))).isTrue();
    assertThat(TextPresence.hasLine(List.of(b, c, d, e))).isTrue();
    assertThat(TextPresence.hasLine(List.of(a, b, c))).isFalse();
    assertThat(TextPresence.hasLine(List.of(a, b, c, below))).isFalse();
    assertThat(TextPresence.hasLine(List.of(a, b, c, far))).isFalse();
  }

  private static BufferedImage draw(
      int width, int height, Color ground, Color ink, int size, String text) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(ground);
    g.fillRect(0, 0, width, height);
    g.setColor(ink);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, size));
    g.drawString(text, 4, height / 2 + size / 3);
    g.dispose();
    return image;
  }
}
