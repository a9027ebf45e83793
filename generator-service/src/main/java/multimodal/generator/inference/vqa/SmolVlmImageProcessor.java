package multimodal.generator.inference.vqa;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import multimodal.generator.inference.image.ChannelValues;
import multimodal.media.RgbImage;
import multimodal.media.preprocess.FixedSizePreprocessor;
import multimodal.media.preprocess.PixelNormaliser;
import multimodal.media.preprocess.ResampleFilter;

/**
 * Idefics3 / SmolVLM image processing (docs/models.md §5.3): resize so the longest edge is {@code
 * size.longest_edge} (keeping aspect), round up to multiples of the vision encoder's tile size, cut
 * {@code rows × cols} tiles, and append a global tile of the whole image; mean/std 0.5.
 *
 * <p>Simplification: the two resizes of the Python processor (to the longest edge, then up to tile
 * multiples) are done as one resize straight to the final size, with Pillow-style bicubic instead
 * of Lanczos.
 */
public final class SmolVlmImageProcessor {
  /** The tiles (each {@code 3 * tile * tile} planar floats), global tile last. */
  public record Tiles(List<float[]> tiles, int rows, int cols) {}

  private final int longestEdge;
  private final int tile;
  private final boolean split;
  private final PixelNormaliser normaliser;

  public SmolVlmImageProcessor(JsonNode config) {
    this.longestEdge = config.path("size").path("longest_edge").asInt(2048);
    this.tile = config.path("max_image_size").path("longest_edge").asInt(512);
    this.split = config.path("do_image_splitting").asBoolean(true);
    this.normaliser =
        PixelNormaliser.unitScale(
            ChannelValues.read(config.path("image_mean"), 0.5f),
            ChannelValues.read(config.path("image_std"), 0.5f));
  }

  public int tileSize() {
    return tile;
  }

  public Tiles process(BufferedImage image) {
    return process(RgbImage.of(image));
  }

  public Tiles process(RgbImage image) {
    List<float[]> tiles = new ArrayList<>();
    float[] global = resize(tile, tile).pixels(image);
    int w = image.width();
    int h = image.height();
    // 1. longest edge -> longestEdge, other side int() and even
    double scale = (double) longestEdge / Math.max(w, h);
    int rw = w >= h ? longestEdge : even((int) (w * scale));
    int rh = h > w ? longestEdge : even((int) (h * scale));
    if (!split || (rw <= tile && rh <= tile)) {
      tiles.add(global);
      return new Tiles(tiles, 0, 0);
    }
    // 2. round up to tile multiples keeping aspect
    double aspect = (double) rw / rh;
    int fw;
    int fh;
    if (rw >= rh) {
      fw = ceilTo(rw);
      fh = ceilTo((int) (fw / aspect));
    } else {
      fh = ceilTo(rh);
      fw = ceilTo((int) (fh * aspect));
    }
    int rows = fh / tile;
    int cols = fw / tile;
    float[] whole = resize(fw, fh).pixels(image);
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        float[] out = new float[3 * tile * tile];
        for (int ch = 0; ch < 3; ch++) {
          for (int y = 0; y < tile; y++) {
            System.arraycopy(
                whole,
                ch * fw * fh + (r * tile + y) * fw + c * tile,
                out,
                ch * tile * tile + y * tile,
                tile);
          }
        }
        tiles.add(out);
      }
    }
    tiles.add(global);
    return new Tiles(tiles, rows, cols);
  }

  private FixedSizePreprocessor resize(int width, int height) {
    return new FixedSizePreprocessor(width, height, ResampleFilter.BICUBIC, normaliser);
  }

  private int ceilTo(int v) {
    return Math.max(tile, (v + tile - 1) / tile * tile);
  }

  private static int even(int v) {
    return v % 2 == 0 ? v : v + 1;
  }

  /** The text that stands for one image in the prompt (§5.3 step 4). */
  public static String imageTokens(int rows, int cols, int seqLen) {
    String images = "<image>".repeat(seqLen);
    StringBuilder text = new StringBuilder();
    for (int r = 1; r <= rows; r++) {
      for (int c = 1; c <= cols; c++) {
        text.append("<fake_token_around_image><row_")
            .append(r)
            .append("_col_")
            .append(c)
            .append('>')
            .append(images);
      }
      text.append('\n');
    }
    if (rows > 0) {
      text.append('\n');
    }
    return text.append("<fake_token_around_image><global-img>")
        .append(images)
        .append("<fake_token_around_image>")
        .toString();
  }
}
