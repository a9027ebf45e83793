package multimodal.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/**
 * libdeflate inflates what the JDK's zlib inflates, byte for byte, and refuses (false) what the PNG
 * decoder must hand back to the JDK's streaming path; the PNG decoder gives the same pixels with
 * and without it. CI installs libdeflate0, so a missing library fails here rather than slowing PNGs
 * silently.
 */
class LibDeflateTest {
  private static final Path IMAGES = Path.of("../testdata/images");
  private static final ImageLimits LIMITS = new ImageLimits(16 << 20, 40_000_000);
  private final LibDeflate deflate = LibDeflate.load();

  @Test
  void theSharedPngsInflateAsTheJdkInflatesThem() throws Exception {
    List<Path> pngs = sharedPngs();
    assertThat(pngs).hasSize(8);
    for (Path file : pngs) {
      byte[] png = Files.readAllBytes(file);
      int[][] parts = idatParts(png);
      byte[] expected = jdkInflate(png, parts);
      assertThat(inflated(png, parts, expected.length)).as(file.toString()).isEqualTo(expected);
    }
  }

  @Test
  void aStreamSplitAcrossManyPartsIsOneStream() {
    byte[] data = new byte[300_000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31 / 7 + (i >> 9));
    }
    byte[] stream = zlib(data);
    // The stream cut into 1000-byte parts with a 5-byte gap between them, as IDAT chunks are laid
    // out between their headers.
    ByteArrayOutputStream laidOut = new ByteArrayOutputStream();
    List<int[]> parts = new ArrayList<>();
    for (int at = 0; at < stream.length; at += 1000) {
      int length = Math.min(1000, stream.length - at);
      laidOut.writeBytes(new byte[5]);
      parts.add(new int[] {laidOut.size(), length});
      laidOut.write(stream, at, length);
    }
    byte[] source = laidOut.toByteArray();

    assertThat(inflated(source, parts.toArray(new int[0][]), data.length)).isEqualTo(data);
  }

  @Test
  void aSizeOtherThanTheStreamsOrADamagedStreamIsRefused() {
    byte[] data = new byte[10_000];
    java.util.Arrays.fill(data, (byte) 7);
    byte[] stream = zlib(data);
    int[][] whole = {{0, stream.length}};

    assertThat(inflated(stream, whole, data.length - 1)).isNull(); // more data than room
    assertThat(inflated(stream, whole, data.length + 1)).isNull(); // less than declared
    byte[] damaged = stream.clone();
    damaged[damaged.length - 1] ^= 0x55; // the Adler-32 check no longer matches
    assertThat(inflated(damaged, whole, data.length)).isNull();
    assertThat(inflated(stream, new int[][] {{0, stream.length / 2}}, data.length)).isNull();
  }

  @Test
  void thePngDecoderGivesTheSamePixelsWithAndWithoutIt() throws Exception {
    for (Path file : sharedPngs()) {
      byte[] png = Files.readAllBytes(file);
      RgbImage fast = PngRgb.decode(png, "image", LIMITS, deflate);
      RgbImage jdk = PngRgb.decode(png, "image", LIMITS, null);
      assertThat(fast).as(file.toString()).isNotNull();
      assertThat(fast.rgb()).as(file.toString()).isEqualTo(jdk.rgb());
    }
  }

  @Test
  void theDecoderSaysItInflatesWithLibdeflate() {
    assertThat(NativeCodecs.describe()).contains("inflated by libdeflate");
  }

  /** What libdeflate wrote into a buffer larger than asked for, or null where it refused. */
  private byte[] inflated(byte[] source, int[][] parts, int size) {
    byte[] out = new byte[size + 100];
    return deflate.inflate(source, parts, out, size) ? java.util.Arrays.copyOf(out, size) : null;
  }

  private static List<Path> sharedPngs() throws Exception {
    try (Stream<Path> files = Files.list(IMAGES)) {
      return files.filter(f -> f.toString().endsWith(".png")).sorted().toList();
    }
  }

  /** Each IDAT chunk's data as {offset, length}. */
  private static int[][] idatParts(byte[] png) {
    List<int[]> parts = new ArrayList<>();
    for (int at = 8; at + 12 <= png.length; ) {
      int length = readInt(png, at);
      if (readInt(png, at + 4) == 0x49444154) {
        parts.add(new int[] {at + 8, length});
      }
      at += 12 + length;
    }
    return parts.toArray(new int[0][]);
  }

  private static byte[] jdkInflate(byte[] png, int[][] parts) throws Exception {
    Inflater inflater = new Inflater();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[1 << 16];
    for (int[] part : parts) {
      inflater.setInput(png, part[0], part[1]);
      while (!inflater.needsInput() && !inflater.finished()) {
        out.write(buffer, 0, inflater.inflate(buffer));
      }
    }
    inflater.end();
    return out.toByteArray();
  }

  private static byte[] zlib(byte[] data) {
    Deflater deflater = new Deflater();
    deflater.setInput(data);
    deflater.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[1 << 16];
    while (!deflater.finished()) {
      out.write(buffer, 0, deflater.deflate(buffer));
    }
    deflater.end();
    return out.toByteArray();
  }

  private static int readInt(byte[] b, int at) {
    return (b[at] & 0xff) << 24
        | (b[at + 1] & 0xff) << 16
        | (b[at + 2] & 0xff) << 8
        | b[at + 3] & 0xff;
  }
}
