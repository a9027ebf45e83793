package multimodal.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import javax.imageio.ImageIO;
import multimodal.media.corpus.CorpusImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every supported format decodes to the right upright RGB pixels. The images are generated here
 * (ImageIO writers, hand-made EXIF segments and chunks), except WebP, which ImageIO cannot write:
 * the tiny files under {@code src/test/resources/images} were made with Debian's {@code cwebp} from
 * a 64x48 picture whose left half is red and right half blue (and {@code webpmux -set exif} for the
 * one with an EXIF chunk).
 */
class ImageFormatsTest {
  private final ImageDecoder decoder = new ImageDecoder(new ImageLimits(16 << 20, 40_000_000));

  private static void assertScene(RgbImage image, int tolerance) {
    assertThat(image.width()).isEqualTo(64);
    assertThat(image.height()).isEqualTo(48);
    assertColour(image, 3, 3, 0, 255, 0, tolerance);
    assertColour(image, 16, 30, 255, 0, 0, tolerance);
    assertColour(image, 50, 30, 0, 0, 255, tolerance);
  }

  private static void assertColour(
      RgbImage image, int x, int y, int r, int g, int b, int tolerance) {
    assertThat(image.sample(x, y, 0))
        .as("red at %d,%d", x, y)
        .isCloseTo(r, org.assertj.core.api.Assertions.within(tolerance));
    assertThat(image.sample(x, y, 1))
        .as("green at %d,%d", x, y)
        .isCloseTo(g, org.assertj.core.api.Assertions.within(tolerance));
    assertThat(image.sample(x, y, 2))
        .as("blue at %d,%d", x, y)
        .isCloseTo(b, org.assertj.core.api.Assertions.within(tolerance));
  }

  @Test
  void decodesPngRgbRgbaAndPalette() {
    assertScene(
        decoder.decode(TestImages.png(CorpusImages.scene(BufferedImage.TYPE_INT_RGB)), "rgb"), 0);
    assertScene(
        decoder.decode(TestImages.png(CorpusImages.scene(BufferedImage.TYPE_INT_ARGB)), "rgba"), 0);
    assertScene(
        decoder.decode(
            TestImages.png(CorpusImages.scene(BufferedImage.TYPE_BYTE_INDEXED)), "palette"),
        0);
  }

  @Test
  void decodesGreyPngIn8And16Bits() {
    BufferedImage grey8 = new BufferedImage(10, 10, BufferedImage.TYPE_BYTE_GRAY);
    grey8.getRaster().setSample(2, 3, 0, 200);
    BufferedImage grey16 = new BufferedImage(10, 10, BufferedImage.TYPE_USHORT_GRAY);
    grey16.getRaster().setSample(2, 3, 0, 200 * 257);

    for (BufferedImage grey : new BufferedImage[] {grey8, grey16}) {
      RgbImage out = decoder.decode(TestImages.png(grey), "grey");
      assertColour(out, 2, 3, 200, 200, 200, 0);
      assertColour(out, 0, 0, 0, 0, 0, 0);
    }
  }

  @Test
  void decodes16BitRgbPngToItsHighBytes() {
    ComponentColorModel model =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_sRGB),
            false,
            false,
            Transparency.OPAQUE,
            DataBuffer.TYPE_USHORT);
    WritableRaster raster = model.createCompatibleWritableRaster(4, 4);
    raster.setPixel(1, 1, new int[] {65535, 32896, 0});
    BufferedImage image = new BufferedImage(model, raster, false, null);

    RgbImage out = decoder.decode(TestImages.png(image), "rgb16");

    assertColour(out, 1, 1, 255, 128, 0, 0);
  }

  @Test
  void decodesBaselineAndProgressiveJpeg() throws IOException {
    BufferedImage scene = CorpusImages.scene(BufferedImage.TYPE_INT_RGB);
    assertScene(decoder.decode(CorpusImages.jpeg(scene, false), "baseline"), 12);
    assertScene(decoder.decode(CorpusImages.jpeg(scene, true), "progressive"), 12);
  }

  @Test
  void decodesAFourChannelAdobeJpegThatTheJdkReaderRejects() throws IOException {
    // ImageIO's own JPEG writer stores a 4-band raster as an Adobe YCCK JPEG (CMYK printing
    // files); the JDK's reader fails on those ("Unsupported Image Type"), TwelveMonkeys' reads
    // them.
    // The colour it gives depends on its CMYK handling, so only uniformity is asserted here.
    RgbImage image = decoder.decode(CorpusImages.cmykJpeg(), "cmyk");

    assertThat(image.width()).isEqualTo(16);
    assertThat(image.height()).isEqualTo(16);
    for (int c = 0; c < 3; c++) {
      assertThat(image.sample(15, 15, c))
          .isCloseTo(image.sample(0, 0, c), org.assertj.core.api.Assertions.within(2));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
  void appliesTheExifOrientationOfAJpeg(int orientation) throws IOException {
    // Store the pixels the way a camera with this orientation would, so that applying the tag
    // must give the upright scene back.
    BufferedImage upright = CorpusImages.scene(BufferedImage.TYPE_INT_RGB);
    RgbImage stored = ExifOrientation.apply(ImageDecoder.toRgb(upright), inverse(orientation));
    byte[] jpeg =
        CorpusImages.withExifOrientation(
            CorpusImages.jpeg(stored.toBufferedImage(), false), orientation);

    assertScene(decoder.decode(jpeg, "exif"), 12);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 6, 8})
  void appliesTheExifOrientationOfAPngExifChunk(int orientation) throws IOException {
    BufferedImage upright = CorpusImages.scene(BufferedImage.TYPE_INT_RGB);
    RgbImage stored = ExifOrientation.apply(ImageDecoder.toRgb(upright), inverse(orientation));
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    assertThat(ImageIO.write(stored.toBufferedImage(), "png", png)).isTrue();

    assertScene(decoder.decode(withPngExifChunk(png.toByteArray(), orientation), "exif"), 0);
  }

  @Test
  void appliesTheExifOrientationOfAWebpExifChunk() throws IOException {
    // halves-lossless.webp with an EXIF chunk (Orientation 6) added by Debian's webpmux.
    byte[] webp;
    try (InputStream in = getClass().getResourceAsStream("/images/halves-lossless-exif6.webp")) {
      webp = in.readAllBytes();
    }

    RgbImage image = decoder.decode(webp, "exif");

    // Stored 64x48 with red left and blue right; shown turned 90° clockwise: red on top.
    assertThat(image.width()).isEqualTo(48);
    assertThat(image.height()).isEqualTo(64);
    assertColour(image, 24, 10, 255, 0, 0, 0);
    assertColour(image, 24, 54, 0, 0, 255, 0);
  }

  @Test
  void decodesTheFirstFrameOfAnAnimatedGif() throws IOException {
    assertScene(decoder.decode(CorpusImages.animatedGif(), "gif"), 0);
  }

  @Test
  void decodesBmp() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(ImageIO.write(CorpusImages.scene(BufferedImage.TYPE_3BYTE_BGR), "bmp", out))
        .isTrue();

    assertScene(decoder.decode(out.toByteArray(), "bmp"), 0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"halves-lossless.webp", "halves-lossy.webp"})
  void decodesWebp(String file) throws IOException {
    byte[] webp;
    try (InputStream in = getClass().getResourceAsStream("/images/" + file)) {
      webp = in.readAllBytes();
    }

    RgbImage image = decoder.decode(webp, file);

    assertThat(image.width()).isEqualTo(64);
    int tolerance = file.contains("lossless") ? 0 : 12;
    assertColour(image, 16, 30, 255, 0, 0, tolerance);
    assertColour(image, 50, 30, 0, 0, 255, tolerance);
  }

  private static int inverse(int orientation) {
    return switch (orientation) {
      case 6 -> 8;
      case 8 -> 6;
      default -> orientation; // the others are their own inverse
    };
  }

  /**
   * Inserts an {@code eXIf} chunk (PNG 1.5) holding {@link CorpusImages#exifTiff} right after IHDR.
   */
  private static byte[] withPngExifChunk(byte[] png, int orientation) {
    byte[] tiff = CorpusImages.exifTiff(orientation);
    ByteBuffer chunk = ByteBuffer.allocate(12 + tiff.length);
    chunk
        .putInt(tiff.length)
        .put("eXIf".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))
        .put(tiff);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(chunk.array(), 4, 4 + tiff.length); // type and data
    chunk.putInt((int) crc.getValue());
    int afterIhdr = 8 + 12 + 13; // signature, then IHDR's length, type, 13 data bytes and CRC
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(png, 0, afterIhdr);
    out.write(chunk.array(), 0, chunk.capacity());
    out.write(png, afterIhdr, png.length - afterIhdr);
    return out.toByteArray();
  }
}
