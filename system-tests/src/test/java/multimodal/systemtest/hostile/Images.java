package multimodal.systemtest.hostile;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import multimodal.systemtest.PlatformClient;

/**
 * Images an attacker sends: exact sizes, lying headers, cut-off and corrupt data. Built here, byte
 * by byte where it must be.
 */
final class Images {
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  private Images() {}

  static Form form(String filename, String type, byte[] bytes, Map<String, String> fields) {
    return new Form().file("file", filename, type, bytes).fields(fields);
  }

  static Form form(byte[] png) {
    return form("image.png", "image/png", png, Map.of());
  }

  /** A small PNG of a random colour: other bytes (and so another blob) on every call. */
  static byte[] distinctPng() throws IOException {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return PlatformClient.solidPng(
        new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256)));
  }

  /**
   * A valid PNG of exactly {@code size} bytes: a small image plus a private ancillary chunk that
   * decoders skip.
   */
  static byte[] pngOfExactly(long size) throws IOException {
    byte[] base = distinctPng();
    int iendAt = base.length - 12;
    int padding = Math.toIntExact(size - base.length - 12);
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.toIntExact(size));
    out.write(base, 0, iendAt);
    out.writeBytes(chunk("paDd", new byte[padding]));
    out.write(base, iendAt, 12);
    byte[] png = out.toByteArray();
    if (png.length != size) {
      throw new IllegalStateException("built " + png.length + " bytes, wanted " + size);
    }
    return png;
  }

  /**
   * A PNG whose header declares {@code width} x {@code height} pixels (RGB, 8 bit) with a few bytes
   * of compressed data: a decompression bomb if a decoder allocates what the header says.
   */
  static byte[] pngDeclaring(int width, int height) {
    ByteBuffer ihdr =
        ByteBuffer.allocate(13)
            .putInt(width)
            .putInt(height)
            .put((byte) 8)
            .put((byte) 2)
            .put((byte) 0)
            .put((byte) 0)
            .put((byte) 0);
    Deflater deflater = new Deflater();
    deflater.setInput(new byte[1024]);
    deflater.finish();
    byte[] compressed = new byte[256];
    int length = deflater.deflate(compressed);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(PNG_SIGNATURE);
    out.writeBytes(chunk("IHDR", ihdr.array()));
    out.writeBytes(chunk("IDAT", Arrays.copyOf(compressed, length)));
    out.writeBytes(chunk("IEND", new byte[0]));
    return out.toByteArray();
  }

  /** A PNG cut before its IEND chunk. */
  static byte[] truncatedPng() throws IOException {
    byte[] png = distinctPng();
    return Arrays.copyOf(png, png.length - 12);
  }

  /** A JPEG cut in the middle of its scan data (no end-of-image marker). */
  static byte[] truncatedJpeg() throws IOException {
    BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 64; y++) {
      for (int x = 0; x < 64; x++) {
        image.setRGB(x, y, (x * 4) << 16 | (y * 4) << 8 | 128);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "jpg", out);
    byte[] jpeg = out.toByteArray();
    return Arrays.copyOf(jpeg, jpeg.length * 2 / 3);
  }

  /** A PNG with a valid signature, header and end but compressed data that is noise. */
  static byte[] corruptPng() {
    ByteBuffer ihdr =
        ByteBuffer.allocate(13)
            .putInt(64)
            .putInt(48)
            .put((byte) 8)
            .put((byte) 2)
            .put((byte) 0)
            .put((byte) 0)
            .put((byte) 0);
    byte[] noise = new byte[512];
    ThreadLocalRandom.current().nextBytes(noise);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(PNG_SIGNATURE);
    out.writeBytes(chunk("IHDR", ihdr.array()));
    out.writeBytes(chunk("IDAT", noise));
    out.writeBytes(chunk("IEND", new byte[0]));
    return out.toByteArray();
  }

  private static byte[] chunk(String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    return ByteBuffer.allocate(12 + data.length)
        .putInt(data.length)
        .put(typeBytes)
        .put(data)
        .putInt((int) crc.getValue())
        .array();
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
