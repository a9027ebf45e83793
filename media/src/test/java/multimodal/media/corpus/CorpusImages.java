package multimodal.media.corpus;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageOutputStream;

/**
 * Writes the corpus's edge cases in memory: ImageIO's writers, plus the few bytes ImageIO cannot
 * write (an EXIF segment, a PNG header that claims more pixels than it holds).
 */
public final class CorpusImages {
  private CorpusImages() {}

  /** 64x48: left half red, right half blue, and a green 8x8 block in the top-left corner. */
  public static BufferedImage scene(int type) {
    BufferedImage image = new BufferedImage(64, 48, type);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.RED);
    g.fillRect(0, 0, 32, 48);
    g.setColor(Color.BLUE);
    g.fillRect(32, 0, 32, 48);
    g.setColor(Color.GREEN);
    g.fillRect(0, 0, 8, 8);
    g.dispose();
    return image;
  }

  /** The image in a format ImageIO writes with its defaults (png, gif, bmp, tiff). */
  public static byte[] write(BufferedImage image, String format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, format, out)) {
        throw new IllegalStateException("no ImageIO writer for " + format);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A TIFF with the given compression of the JDK's writer ("LZW", "Deflate", "PackBits", ...). */
  public static byte[] tiff(BufferedImage image, String compression) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageWriter writer = ImageIO.getImageWritersByFormatName("tiff").next();
    try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(stream);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionType(compression);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  /** A quality-95 JPEG, baseline or progressive. */
  public static byte[] jpeg(BufferedImage image, boolean progressive) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(stream);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(0.95f);
      if (progressive) {
        param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
      }
      IIOMetadata metadata =
          writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
      writer.write(null, new IIOImage(image, null, metadata), param);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  /**
   * A 16x16 four-channel Adobe JPEG of one CMYK colour: ImageIO's JPEG writer stores a 4-band
   * raster as YCCK, as printing workflows do; the JDK's own reader refuses such files.
   */
  public static byte[] cmykJpeg() {
    WritableRaster cmyk =
        WritableRaster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 16, 16, 4, null);
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        cmyk.setPixel(x, y, new int[] {0, 255, 255, 255});
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(stream);
      writer.write(null, new IIOImage(cmyk, null, null), null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  /** A two-frame GIF whose first frame is {@link #scene}. */
  public static byte[] animatedGif() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
    try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(stream);
      writer.prepareWriteSequence(null);
      writer.writeToSequence(
          new IIOImage(scene(BufferedImage.TYPE_BYTE_INDEXED), null, null), null);
      writer.writeToSequence(
          new IIOImage(new BufferedImage(64, 48, BufferedImage.TYPE_BYTE_INDEXED), null, null),
          null);
      writer.endWriteSequence();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  /** A little-endian TIFF block with one IFD entry: Orientation (1–8; 6 = turn 90° clockwise). */
  public static byte[] exifTiff(int orientation) {
    ByteBuffer tiff = ByteBuffer.allocate(26).order(ByteOrder.LITTLE_ENDIAN);
    tiff.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8); // header, IFD at 8
    tiff.putShort((short) 1); // one entry
    tiff.putShort((short) 0x0112).putShort((short) 3).putInt(1); // Orientation, SHORT, count 1
    tiff.putShort((short) orientation).putShort((short) 0);
    tiff.putInt(0); // no next IFD
    return tiff.array();
  }

  /**
   * The JPEG with an APP1 Exif segment ({@link #exifTiff}) right after SOI, as a phone writes it.
   */
  public static byte[] withExifOrientation(byte[] jpeg, int orientation) {
    byte[] tiff = exifTiff(orientation);
    byte[] header = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
    int length = 2 + header.length + tiff.length; // the segment length counts itself
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(jpeg, 0, 2); // SOI
    out.write(0xFF);
    out.write(0xE1);
    out.write(length >> 8);
    out.write(length & 0xff);
    out.writeBytes(header);
    out.writeBytes(tiff);
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }

  /**
   * The PNG with its IHDR's width and height replaced (and the chunk's CRC fixed): a file of a few
   * hundred bytes whose header asks for any number of pixels, as a decompression bomb does.
   */
  public static byte[] withPngSize(byte[] png, int width, int height) {
    byte[] out = png.clone();
    ByteBuffer buffer = ByteBuffer.wrap(out); // big-endian, as PNG
    buffer.putInt(16, width).putInt(20, height); // IHDR data starts after signature, length, type
    CRC32 crc = new CRC32();
    crc.update(out, 12, 4 + 13); // type and data
    buffer.putInt(12 + 4 + 13, (int) crc.getValue());
    return out;
  }

  /** A resource of the media test jar, such as {@code /images/halves-lossless-exif6.webp}. */
  public static byte[] resource(String name) {
    try (InputStream in = CorpusImages.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("no test resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
