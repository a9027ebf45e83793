package multimodal.generator.inference;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import multimodal.generator.InvalidInputException;

/**
 * Decodes PNG/JPEG/GIF/BMP bytes into an RGB image, refusing oversized input before decoding
 * (decompression bombs). Alpha is dropped keeping the stored colour values, like Pillow's
 * {@code convert("RGB")}.
 */
public final class ImageDecoder {
  private final long maxBytes;
  private final long maxPixels;

  public ImageDecoder(long maxBytes, long maxPixels) {
    this.maxBytes = maxBytes;
    this.maxPixels = maxPixels;
  }

  public BufferedImage decode(byte[] bytes, String field) {
    if (bytes == null || bytes.length == 0) {
      throw new InvalidInputException(field, "image is empty");
    }
    if (bytes.length > maxBytes) {
      throw new InvalidInputException(
          field, "image is " + bytes.length + " bytes, more than the limit of " + maxBytes);
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new InvalidInputException(field, "not a decodable image (PNG, JPEG, GIF, BMP)");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
        if (pixels > maxPixels) {
          throw new InvalidInputException(
              field, "image has " + pixels + " pixels, more than the limit of " + maxPixels);
        }
        return toRgb(reader.read(0));
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof InvalidInputException invalid) {
        throw invalid;
      }
      throw new InvalidInputException(field, "image cannot be decoded: " + e.getMessage(), e);
    }
  }

  static BufferedImage toRgb(BufferedImage image) {
    if (image.getType() == BufferedImage.TYPE_INT_RGB) {
      return image;
    }
    BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    int[] row = new int[image.getWidth()];
    for (int y = 0; y < image.getHeight(); y++) {
      image.getRGB(0, y, image.getWidth(), 1, row, 0, image.getWidth());
      rgb.setRGB(0, y, image.getWidth(), 1, row, 0, image.getWidth()); // alpha byte ignored
    }
    return rgb;
  }
}
