package multimodal.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import multimodal.media.ImageDecoder.Codecs;
import multimodal.media.ImageDecoder.TruncatedImages;
import multimodal.media.corpus.ImageCorpus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The decoder's pixels against Pillow's, byte for byte, for every image of the shared corpus that
 * is accepted: the SHA-256 of {@code ImageOps.exif_transpose(image).convert("RGB").tobytes()},
 * which {@code scripts/pillow_rgb_hashes.py} computed with Debian's Pillow (libjpeg-turbo 2.1,
 * libwebp 1.2.4) into {@code pillow-rgb-sha256.tsv}; no Python is needed here. The file's own hash
 * is kept too, so a changed corpus image is told apart from a changed decoder.
 */
class PillowGoldenTest {
  /**
   * Where neither decoder gives Pillow's pixels, and the fast one keeps the ImageIO path's: Pillow
   * clips a 16-bit grey PNG to 8 bits where ImageIO takes the high byte.
   */
  private static final Set<String> NOT_PILLOWS = Set.of("grey-16-bit.png");

  /**
   * Where the ImageIO path alone is not Pillow's: TwelveMonkeys' VP8 upsamples chroma its own way,
   * and its CMYK conversion is not Pillow's (libjpeg-turbo's CMYK and Pillow's formula are).
   */
  private static final Set<String> IMAGEIO_DIFFERS = Set.of("lossy.webp", "cmyk-adobe.jpg");

  private static final ImageDecoder FAST =
      new ImageDecoder(ImageLimits.PLATFORM, TruncatedImages.REFUSE, Codecs.FAST);
  private static final ImageDecoder IMAGEIO =
      new ImageDecoder(ImageLimits.PLATFORM, TruncatedImages.REFUSE, Codecs.IMAGEIO);

  private record Golden(String fileSha, int width, int height, String rgbSha) {}

  private static Map<String, Golden> golden;

  @BeforeAll
  static void readGolden() throws IOException {
    golden = new HashMap<>();
    try (InputStream in = PillowGoldenTest.class.getResourceAsStream("/pillow-rgb-sha256.tsv")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.startsWith("#") && !line.isBlank()) {
          String[] f = line.split("\t");
          golden.put(
              f[0], new Golden(f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]), f[4].strip()));
        }
      }
    }
  }

  static Stream<ImageCorpus.Case> accepted() {
    return ImageCorpus.cases().stream().filter(c -> c.expected().accepted());
  }

  @Test
  void everyNativeLibraryIsLoadedHere() {
    // The build machine installs both (.ci/run); without them the fast path would quietly be the
    // ImageIO one and this test would compare nothing new.
    assertThat(FAST.describeCodecs()).contains("libjpeg-turbo").contains("libwebp");
  }

  @ParameterizedTest
  @MethodSource("accepted")
  void fastDecodersGivePillowsPixels(ImageCorpus.Case image) {
    Golden expected = goldenOf(image);
    RgbImage fast = FAST.decode(image.bytes(), image.name());

    assertThat(new int[] {fast.width(), fast.height()})
        .containsExactly(expected.width(), expected.height());
    if (NOT_PILLOWS.contains(image.name())) {
      assertThat(sha256(fast.rgb())).isNotEqualTo(expected.rgbSha());
      assertThat(fast.rgb()).isEqualTo(IMAGEIO.decode(image.bytes(), image.name()).rgb());
    } else {
      assertThat(sha256(fast.rgb())).as("Pillow's RGB bytes").isEqualTo(expected.rgbSha());
    }
  }

  @ParameterizedTest
  @MethodSource("accepted")
  void imageIoPathIsPillowsWhereItWasBefore(ImageCorpus.Case image) {
    Golden expected = goldenOf(image);
    String rgb = sha256(IMAGEIO.decode(image.bytes(), image.name()).rgb());

    if (NOT_PILLOWS.contains(image.name()) || IMAGEIO_DIFFERS.contains(image.name())) {
      assertThat(rgb).isNotEqualTo(expected.rgbSha());
    } else {
      assertThat(rgb).isEqualTo(expected.rgbSha());
    }
  }

  private static Golden goldenOf(ImageCorpus.Case image) {
    Golden g = golden.get(image.name());
    assertThat(g).as("golden row for " + image.name()).isNotNull();
    assertThat(sha256(image.bytes()))
        .as(
            image.name()
                + " is not the file Pillow decoded; rerun scripts/pillow_rgb_hashes.py"
                + " (pillow-rgb-sha256.tsv says how)")
        .isEqualTo(g.fileSha());
    return g;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
