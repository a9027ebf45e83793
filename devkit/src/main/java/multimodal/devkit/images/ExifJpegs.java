package multimodal.devkit.images;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Camera-style JPEGs for tests: the same bytes with an EXIF orientation tag, as a phone writes when
 * it stores the sensor's pixels and asks viewers to turn them. Written by hand because the JDK's
 * JPEG writer cannot add an EXIF segment and the segment needed is 36 bytes.
 */
public final class ExifJpegs {
  private ExifJpegs() {}

  /**
   * The JPEG with an APP1 Exif segment right after SOI holding one tag, Orientation (1–8; 6 = turn
   * 90° clockwise to show).
   */
  public static byte[] withOrientation(byte[] jpeg, int orientation) {
    if (jpeg.length < 2 || (jpeg[0] & 0xff) != 0xff || (jpeg[1] & 0xff) != 0xd8) {
      throw new IllegalArgumentException("not a JPEG (no SOI marker)");
    }
    ByteBuffer tiff = ByteBuffer.allocate(26).order(ByteOrder.LITTLE_ENDIAN);
    tiff.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8); // header, IFD at 8
    tiff.putShort((short) 1); // one entry: Orientation, SHORT, count 1, value
    tiff.putShort((short) 0x0112)
        .putShort((short) 3)
        .putInt(1)
        .putShort((short) orientation)
        .putShort((short) 0);
    tiff.putInt(0); // no next IFD
    byte[] header = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
    int length = 2 + header.length + tiff.capacity(); // the segment length counts itself
    ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length + length + 2);
    out.write(jpeg, 0, 2);
    out.write(0xff);
    out.write(0xe1);
    out.write(length >> 8);
    out.write(length & 0xff);
    out.writeBytes(header);
    out.writeBytes(tiff.array());
    out.write(jpeg, 2, jpeg.length - 2);
    return out.toByteArray();
  }
}
