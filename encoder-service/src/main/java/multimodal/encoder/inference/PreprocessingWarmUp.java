package multimodal.encoder.inference;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Runs the decode + preprocess path, and the image tower at batch 1 and at the largest batch, on
 * generated images before the service reports ready. Without it the first traffic after a start
 * pays for the JIT: the resampler's Vector API loops run many times slower than scalar code until
 * they are compiled, and the encoder's part of ingest → searchable in the first ten seconds was 346
 * ms at the median against 45 ms warm (IngestLatencyBenchmark, 2-core machine). A PNG and a JPEG
 * are generated at two sizes so both decoders and both resampling directions are compiled.
 */
public final class PreprocessingWarmUp {
  private static final System.Logger LOG = System.getLogger(PreprocessingWarmUp.class.getName());

  private final int rounds;
  private final int largestBatch;

  /**
   * @param rounds how many times each generated image goes through decode + preprocess (enough loop
   *     iterations for the JIT's compile thresholds; 0 turns the warm-up off)
   * @param largestBatch the batcher's maximum batch, run once through the image tower
   */
  public PreprocessingWarmUp(int rounds, int largestBatch) {
    this.rounds = rounds;
    this.largestBatch = largestBatch;
  }

  /** Warms {@code model} if it embeds images; returns the images preprocessed. */
  public int run(EmbeddingModel model) throws Exception {
    if (rounds <= 0 || !model.embedsImages()) {
      return 0;
    }
    long start = System.nanoTime();
    List<byte[]> images =
        List.of(
            encode(noise(64, 64), "png"),
            encode(noise(640, 480), "jpg"),
            encode(noise(96, 300), "png"),
            encode(noise(800, 600), "jpg"));
    float[] pixels = null;
    int done = 0;
    for (int round = 0; round < rounds; round++) {
      for (byte[] image : images) {
        pixels = model.preprocess(image, "warm-up");
        done++;
      }
    }
    model.embedPixels(List.of(pixels));
    if (largestBatch > 1) {
      model.embedPixels(java.util.Collections.nCopies(largestBatch, pixels));
    }
    LOG.log(
        System.Logger.Level.INFO,
        "model {0}: preprocessing and the image tower warmed up ({1} images, batch 1 and {2}) in"
            + " {3} ms",
        model.name(),
        done,
        largestBatch,
        (System.nanoTime() - start) / 1_000_000);
    return done;
  }

  /** Seeded noise with smooth regions, so the JPEG is a realistic size and the run repeatable. */
  private static BufferedImage noise(int width, int height) {
    Random random = new Random(width * 31L + height);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int base = ((x / 16 + y / 16) % 2 == 0) ? 0x3a6ea5 : 0xd9a441;
        image.setRGB(x, y, base ^ (random.nextInt() & 0x0f0f0f));
      }
    }
    return image;
  }

  private static byte[] encode(BufferedImage image, String format) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      if (!ImageIO.write(image, format, out)) {
        throw new IllegalStateException("no ImageIO writer for " + format);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
