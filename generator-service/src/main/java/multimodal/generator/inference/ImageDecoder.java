package multimodal.generator.inference;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
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
 * {@code convert("RGB")}; grey becomes three equal channels of the stored value; a JPEG's embedded
 * ICC profile is ignored (as TensorFlow, Pillow and libjpeg do).
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
    byte[] plain = JpegProfiles.strip(bytes); // colours as TF, Pillow and libjpeg decode them
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(plain))) {
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
    int width = image.getWidth();
    BufferedImage rgb = new BufferedImage(width, image.getHeight(), BufferedImage.TYPE_INT_RGB);
    ColorModel model = image.getColorModel();
    int space = model.getColorSpace().getType();
    int[] row = new int[width];
    if (model instanceof ComponentColorModel && (space == ColorSpace.TYPE_GRAY || space == ColorSpace.TYPE_RGB)) {
      // The stored samples: getRGB() would take grey through a linear colour space and brighten it
      // (PNG readers, Pillow and TF.js's decoders give the stored value in every channel).
      Raster raster = image.getRaster();
      int bands = raster.getNumBands();
      boolean grey = model.getNumColorComponents() == 1;
      int shift = Math.max(0, model.getComponentSize(0) - 8); // 16-bit samples: keep the high byte
      int[] samples = new int[width * bands];
      for (int y = 0; y < image.getHeight(); y++) {
        raster.getPixels(0, y, width, 1, samples);
        for (int x = 0; x < width; x++) {
          int r = samples[x * bands] >> shift;
          int g = grey ? r : samples[x * bands + 1] >> shift;
          int b = grey ? r : samples[x * bands + 2] >> shift;
          row[x] = (r << 16) | (g << 8) | b;
        }
        rgb.setRGB(0, y, width, 1, row, 0, width);
      }
      return rgb;
    }
    for (int y = 0; y < image.getHeight(); y++) {
      image.getRGB(0, y, width, 1, row, 0, width);
      rgb.setRGB(0, y, width, 1, row, 0, width); // alpha byte ignored
    }
    return rgb;
  }
}
