package multimodal.media.preprocess;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import multimodal.media.ImageDecoder;
import multimodal.media.ImageLimits;
import multimodal.media.RgbImage;
import multimodal.media.corpus.ImageCorpus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The resize against Pillow's, byte for byte, through both passes: every accepted image of the
 * shared corpus (the ten photographs, baseline, progressive, CMYK, EXIF-rotated JPEGs, palette PNG,
 * WebP, GIF, BMP, TIFF), decoded as {@code PillowGoldenTest} checks, then CLIP's window (short side
 * to 224 bicubic, centre crop 224 × 224, through {@link PillowResize#resizeCentre}) and two whole
 * resizes up and down, against the SHA-256 of Pillow's bytes that {@code
 * scripts/pillow_resize_hashes.py} wrote into {@code pillow-resize-sha256.tsv}. The 16-bit grey PNG
 * is left out: its decoded pixels are not Pillow's to begin with (see {@code PillowGoldenTest}).
 */
class PillowResizeGoldenTest {
  private static final ImageDecoder DECODER = new ImageDecoder(ImageLimits.PLATFORM);
  private static final Map<String, String> GOLDEN = readGolden();

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (ImageCorpus.Case image : ImageCorpus.cases()) {
      if (image.expected().accepted() && !image.name().equals("grey-16-bit.png")) {
        for (Passes passes : List.of(new ScalarPasses(), VectorSupport.create())) {
          for (String resize : List.of("clip", "bilinear-301x250", "bicubic-97x131")) {
            cases.add(Arguments.of(image.name(), resize, passes.getClass().getSimpleName(), image));
          }
        }
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("cases")
  void resizeGivesPillowsBytes(String name, String resize, String passes, ImageCorpus.Case image) {
    RgbImage decoded = DECODER.decode(image.bytes(), name);
    Passes chosen = passes.equals("VectorPasses") ? VectorSupport.create() : new ScalarPasses();

    RgbImage out = resize(decoded, resize, chosen);

    assertThat(out.width() + "\t" + out.height() + "\t" + sha256(out.rgb()))
        .as("Pillow's bytes for " + name + " " + resize)
        .isEqualTo(GOLDEN.get(name + "\t" + resize));
  }

  private static RgbImage resize(RgbImage image, String resize, Passes passes) {
    if (resize.equals("clip")) {
      int w = image.width();
      int h = image.height();
      int outWidth = w <= h ? 224 : (int) (224L * w / h);
      int outHeight = w <= h ? (int) (224L * h / w) : 224;
      return PillowResize.window(
          image,
          outWidth,
          outHeight,
          ResampleFilter.BICUBIC,
          (outWidth - 224) / 2,
          (outHeight - 224) / 2,
          224,
          224,
          passes);
    }
    String[] parts = resize.split("[-x]");
    ResampleFilter filter =
        parts[0].equals("bilinear") ? ResampleFilter.BILINEAR : ResampleFilter.BICUBIC;
    int width = Integer.parseInt(parts[1]);
    int height = Integer.parseInt(parts[2]);
    return PillowResize.window(image, width, height, filter, 0, 0, width, height, passes);
  }

  private static Map<String, String> readGolden() {
    try (InputStream in =
        PillowResizeGoldenTest.class.getResourceAsStream("/pillow-resize-sha256.tsv")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(line -> !line.startsWith("#") && !line.isBlank())
          .map(line -> line.split("\t"))
          .collect(
              Collectors.toMap(f -> f[0] + "\t" + f[1], f -> f[2] + "\t" + f[3] + "\t" + f[4]));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
