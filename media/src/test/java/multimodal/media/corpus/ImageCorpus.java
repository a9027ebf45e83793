package multimodal.media.corpus;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The images every service must accept or refuse alike, with the one expected verdict of each: the
 * ten shared photographs of {@code testdata/images} and generated edge cases. Each service that
 * decodes images runs this table through the code path it really uses (encoder-service's model
 * preprocessing, generator-service's image loader, the gateway's thumbnails, and media's decoder
 * itself), so a service that drifts from the others fails its own test.
 *
 * <p>Verdicts hold the service-independent part: accepted with the upright size (after EXIF
 * orientation), or refused with the decoder's reason (its whole text, or its fixed beginning where
 * the rest is the reader's own message). Limits are the platform's defaults (16 MiB, 40 000 000
 * pixels), which every service's configuration starts from.
 */
public final class ImageCorpus {
  /** The photographs, from any module directory of the repository. */
  private static final Path PHOTOGRAPHS = Path.of("..", "testdata", "images");

  static final String UNSUPPORTED =
      "not a decodable image (supported formats: JPEG, PNG, GIF, BMP, WebP, TIFF)";

  private ImageCorpus() {}

  /** One image and what every service must make of it. */
  public record Case(String name, byte[] bytes, Verdict expected) {
    @Override
    public String toString() {
      return name + " → " + expected;
    }
  }

  /** The table. */
  public static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    photograph(cases, "astronaut.png", 512, 512);
    photograph(cases, "camera.png", 512, 512);
    photograph(cases, "chelsea.png", 451, 300);
    photograph(cases, "clock_motion.png", 400, 300);
    photograph(cases, "CLIP.png", 2162, 762);
    photograph(cases, "coffee.png", 600, 400);
    photograph(cases, "coins.png", 384, 303);
    photograph(cases, "horse.png", 400, 328);
    photograph(cases, "hubble_deep_field.jpg", 1000, 872); // EXIF orientation 1
    photograph(cases, "rocket.jpg", 640, 427); // with an ICC profile

    BufferedImage scene = CorpusImages.scene(BufferedImage.TYPE_INT_RGB);
    byte[] baseline = CorpusImages.jpeg(scene, false);
    cases.add(new Case("baseline.jpg", baseline, Verdict.accepted(64, 48)));
    cases.add(
        new Case("progressive.jpg", CorpusImages.jpeg(scene, true), Verdict.accepted(64, 48)));
    cases.add(new Case("cmyk-adobe.jpg", CorpusImages.cmykJpeg(), Verdict.accepted(16, 16)));
    // Stored 64x48 with "turn 90° clockwise": shown 48x64.
    cases.add(
        new Case(
            "exif-rotated.jpg",
            CorpusImages.withExifOrientation(baseline, 6),
            Verdict.accepted(48, 64)));
    cases.add(
        new Case(
            "palette.png",
            CorpusImages.write(CorpusImages.scene(BufferedImage.TYPE_BYTE_INDEXED), "png"),
            Verdict.accepted(64, 48)));
    cases.add(
        new Case(
            "grey-16-bit.png",
            CorpusImages.write(CorpusImages.scene(BufferedImage.TYPE_USHORT_GRAY), "png"),
            Verdict.accepted(64, 48)));
    cases.add(
        new Case(
            "lossy.webp",
            CorpusImages.resource("/images/halves-lossy.webp"),
            Verdict.accepted(64, 48)));
    cases.add(
        new Case(
            "exif-rotated.webp",
            CorpusImages.resource("/images/halves-lossless-exif6.webp"),
            Verdict.accepted(48, 64)));
    cases.add(new Case("animated.gif", CorpusImages.animatedGif(), Verdict.accepted(64, 48)));
    cases.add(
        new Case(
            "scene.bmp",
            CorpusImages.write(CorpusImages.scene(BufferedImage.TYPE_3BYTE_BGR), "bmp"),
            Verdict.accepted(64, 48)));
    // TIFF is one of the accepted formats (the JDK's own reader; the gateway's upload check lets
    // it in too): uncompressed, LZW and Deflate, as scanners and photo tools write them.
    cases.add(
        new Case(
            "scene.tiff",
            CorpusImages.write(CorpusImages.scene(BufferedImage.TYPE_INT_RGB), "tiff"),
            Verdict.accepted(64, 48)));
    cases.add(
        new Case(
            "scene-lzw.tiff",
            CorpusImages.tiff(CorpusImages.scene(BufferedImage.TYPE_INT_RGB), "LZW"),
            Verdict.accepted(64, 48)));
    cases.add(
        new Case(
            "grey-deflate.tiff",
            CorpusImages.tiff(CorpusImages.scene(BufferedImage.TYPE_BYTE_GRAY), "Deflate"),
            Verdict.accepted(64, 48)));

    byte[] rocket = photographBytes("rocket.jpg");
    cases.add(
        new Case(
            "truncated.jpg",
            Arrays.copyOf(rocket, rocket.length / 2),
            Verdict.refused(
                "image is truncated: the JPEG data ends before its end-of-image marker; the missing"
                    + " part would be filled")));
    // A JPEG start of image followed by noise: a reader is found, and fails.
    byte[] corruptJpeg = noise(2048, 7);
    corruptJpeg[0] = (byte) 0xff;
    corruptJpeg[1] = (byte) 0xd8;
    corruptJpeg[2] = (byte) 0xff;
    cases.add(new Case("corrupt.jpg", corruptJpeg, Verdict.refused("not a decodable image: ")));
    byte[] noise = noise(4096, 11);
    noise[0] = 0; // no format's signature starts with a zero byte here
    cases.add(new Case("noise.bin", noise, Verdict.refused(UNSUPPORTED)));
    byte[] smallPng = CorpusImages.write(CorpusImages.scene(BufferedImage.TYPE_INT_RGB), "png");
    cases.add(
        new Case(
            "bomb.png",
            CorpusImages.withPngSize(smallPng, 10_000, 10_000),
            Verdict.refused(
                "image is 10000x10000 = 100000000 pixels, over the limit of 40000000")));
    cases.add(
        new Case(
            "oversize.jpg",
            oversize(baseline),
            Verdict.refused("image is 16777217 bytes, over the limit of 16777216")));
    cases.add(new Case("empty", new byte[0], Verdict.refused("image is empty")));
    cases.add(
        new Case(
            "drawing.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"64\" height=\"48\"><rect width=\"64\" height=\"48\" fill=\"red\"/></svg>\n"
                .getBytes(StandardCharsets.UTF_8),
            Verdict.refused(UNSUPPORTED)));
    cases.add(
        new Case(
            "notes.txt",
            "a photo of a cat\n".getBytes(StandardCharsets.UTF_8),
            Verdict.refused(UNSUPPORTED)));
    return cases;
  }

  private static void photograph(List<Case> cases, String file, int width, int height) {
    cases.add(new Case(file, photographBytes(file), Verdict.accepted(width, height)));
  }

  private static byte[] photographBytes(String file) {
    try {
      return Files.readAllBytes(PHOTOGRAPHS.resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] noise(int length, long seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  /** A valid JPEG padded with zeros to one byte over the platform's 16 MiB. */
  private static byte[] oversize(byte[] jpeg) {
    return Arrays.copyOf(jpeg, (16 << 20) + 1);
  }
}
