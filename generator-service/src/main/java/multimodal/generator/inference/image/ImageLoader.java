package multimodal.generator.inference.image;

import java.awt.image.BufferedImage;
import multimodal.generator.InvalidInputException;
import multimodal.media.ImageDecoder;
import multimodal.media.ImageLimits;
import multimodal.media.InvalidImageException;

/**
 * Image bytes to the {@code TYPE_INT_RGB} image the generator's models read, through the shared
 * media decoder (EXIF orientation, WebP, CMYK, the same limits and refusals as the encoder); a
 * refused image becomes this service's {@link InvalidInputException}.
 */
public final class ImageLoader {
  private final ImageDecoder decoder;

  /** Refuses truncated images. */
  public ImageLoader(long maxBytes, long maxPixels) {
    this(new ImageDecoder(new ImageLimits(maxBytes, maxPixels)));
  }

  /**
   * @param decoder the service's decoder ({@code ImageSettings.decoder} of generator.images)
   */
  public ImageLoader(ImageDecoder decoder) {
    this.decoder = decoder;
  }

  public BufferedImage decode(byte[] bytes, String field) {
    try {
      return decoder.decode(bytes, field).toBufferedImage();
    } catch (InvalidImageException e) {
      throw new InvalidInputException(e.field(), e.reason(), e);
    }
  }
}
