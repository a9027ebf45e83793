package multimodal.media;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataFormatImpl;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Decodes encoded image bytes into {@link RgbImage} (JPEG and WebP through libjpeg-turbo and
 * libwebp where installed, common PNGs directly, the rest with ImageIO: {@link Codecs}), the way
 * Pillow's {@code convert("RGB")} after {@code ImageOps.exif_transpose} does: the EXIF orientation
 * is applied, grey is replicated to three channels as the stored value and alpha is dropped,
 * keeping the stored colour values (no compositing). A YCbCr JPEG is converted from its raw
 * components like libjpeg, so an embedded ICC profile is ignored, as Pillow, TensorFlow and TF.js
 * do. Size limits are checked from the header before the pixels are decoded. The one decoder of
 * every service.
 *
 * <p>A truncated image (a JPEG whose data ends before its end-of-image marker, a PNG without its
 * IEND chunk) is refused unless the policy accepts it, as Pillow refuses it unless {@code
 * LOAD_TRUNCATED_IMAGES} is set: the JPEG reader fills the missing part with grey, so the embedding
 * and the caption would be of a picture nobody uploaded. Accepted, the truncation is reported with
 * the pixels ({@link Decoded#truncation()}).
 */
public final class ImageDecoder {
  /** What ImageIO decodes here: the JDK's readers plus TwelveMonkeys' JPEG and WebP. */
  static final String FORMATS = "JPEG, PNG, GIF, BMP, WebP, TIFF";

  static {
    // Registers the TwelveMonkeys readers (JPEG: CMYK/YCCK and damaged files; WebP) whatever
    // class loader first touched ImageIO.
    ImageIO.scanForPlugins();
  }

  // Streams are memory-cached (MemoryCacheImageInputStream): ImageIO's default for an
  // InputStream is a temporary file per image, which was most of the decode time.

  private final ImageLimits limits;
  private final TruncatedImages truncated;
  private final Codecs codecs;

  /** Refuses truncated images; the fast decoders. */
  public ImageDecoder(ImageLimits limits) {
    this(limits, TruncatedImages.REFUSE);
  }

  /** The fast decoders. */
  public ImageDecoder(ImageLimits limits, TruncatedImages truncated) {
    this(limits, truncated, Codecs.FAST);
  }

  public ImageDecoder(ImageLimits limits, TruncatedImages truncated, Codecs codecs) {
    this.limits = limits;
    this.truncated = truncated;
    this.codecs = codecs;
  }

  /** Which decoders to use. */
  public enum Codecs {
    /**
     * libjpeg-turbo and libwebp (Pillow's own) for the JPEGs and WebPs they decode as Pillow does,
     * where the libraries are installed, and a direct decoder for the common PNGs; the ImageIO
     * readers for the rest (CMYK, damaged files, GIF, BMP, TIFF) and where a library is missing.
     */
    FAST,
    /** The ImageIO readers only (with TwelveMonkeys): slower, and WebP not quite Pillow's. */
    IMAGEIO
  }

  /**
   * Which decoder each format goes through, for the services' start-up log: with {@link
   * Codecs#NATIVE}, what loaded in this JVM.
   */
  public String describeCodecs() {
    return codecs == Codecs.FAST
        ? NativeCodecs.describe()
        : "every format through the ImageIO readers";
  }

  /** What to do with an image whose data ends early. */
  public enum TruncatedImages {
    /** Refuse it (Pillow's default): {@code image is truncated: ...}. */
    REFUSE,
    /** Decode it with the missing part filled, and report the truncation. */
    ACCEPT
  }

  /**
   * Decoded pixels and, when the policy accepted a truncated image, what was missing.
   *
   * @param truncation empty for a complete image, else why it counts as truncated
   */
  public record Decoded(RgbImage image, Optional<String> truncation) {}

  /**
   * @param field names the item in errors, e.g. {@code images[0]}
   * @throws InvalidImageException when the bytes are over a limit, not a decodable image, or
   *     truncated while the policy refuses that
   */
  public RgbImage decode(byte[] bytes, String field) {
    return read(bytes, field).image();
  }

  /**
   * As {@link #decode}, but a large JPEG may come back smaller: one whose short side is at least
   * twice {@code minShortSide} is decoded by libjpeg-turbo at 1/2, 1/4 or 1/8 of its size
   * (DCT-domain scaling), the smallest that keeps the short side at {@code minShortSide} or more.
   * Far faster for a photograph much larger than a model's input, and <em>not Pillow's values</em>
   * (the model then sees a slightly different image), so no service uses it by default; {@code
   * PreprocessBenchmark --dct-scaling N} measures both. Other images, and everything with {@link
   * Codecs#IMAGEIO}, as {@link #decode}.
   */
  public RgbImage decodeScaled(byte[] bytes, String field, int minShortSide) {
    return read(bytes, field, minShortSide).image();
  }

  /** As {@link #decode}, and says whether an accepted image was truncated. */
  public Decoded read(byte[] bytes, String field) {
    return read(bytes, field, 0);
  }

  /**
   * As {@link #read(byte[], String)}, with {@link #decodeScaled}'s DCT-domain scaling of a large
   * JPEG down to a short side of at least {@code minShortSide} (0: never scaled).
   */
  public Decoded read(byte[] bytes, String field, int minShortSide) {
    if (bytes == null || bytes.length == 0) {
      throw new InvalidImageException(field, "image is empty");
    }
    if (bytes.length > limits.maxBytes()) {
      throw new InvalidImageException(
          field, "image is " + bytes.length + " bytes, over the limit of " + limits.maxBytes());
    }
    if (codecs == Codecs.FAST) {
      Decoded fast = NativeCodecs.read(bytes, field, limits, minShortSide);
      if (fast != null) {
        return fast;
      }
    }
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new InvalidImageException(
            field, "not a decodable image (supported formats: " + FORMATS + ")");
      }
      ImageReader reader = readers.next();
      List<String> warnings = new ArrayList<>();
      reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
      try {
        reader.setInput(in, true, true);
        checkPixels(limits, field, reader.getWidth(0), reader.getHeight(0));
        boolean jpeg = "jpeg".equalsIgnoreCase(reader.getFormatName());
        int orientation = ExifOrientation.of(reader.getFormatName(), bytes);
        RgbImage rgb = null;
        if (jpeg && plainYCbCrJpeg(reader)) {
          Raster raw = reader.readRaster(0, null);
          rgb = raw.getNumBands() == 3 ? JpegColour.fromYCbCr(raw) : null;
        }
        if (rgb == null) {
          rgb = toRgb(reader.read(0)); // the first frame of a GIF
        }
        Optional<String> truncation = truncation(reader.getFormatName(), bytes, warnings);
        if (truncation.isPresent() && truncated == TruncatedImages.REFUSE) {
          throw new InvalidImageException(field, "image is truncated: " + truncation.get());
        }
        return new Decoded(ExifOrientation.apply(rgb, orientation), truncation);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof InvalidImageException invalid) {
        throw invalid;
      }
      throw new InvalidImageException(field, "not a decodable image: " + e.getMessage(), e);
    }
  }

  /** Refuses an image without pixels or with more than the limit, from its header's size. */
  static void checkPixels(ImageLimits limits, String field, long width, long height) {
    if (width <= 0 || height <= 0) {
      throw new InvalidImageException(field, "image has no pixels");
    }
    if (width * height > limits.maxPixels()) {
      throw new InvalidImageException(
          field,
          "image is %dx%d = %d pixels, over the limit of %d"
              .formatted(width, height, width * height, limits.maxPixels()));
    }
  }

  /**
   * Why the image counts as truncated, or empty: its bytes stop before the format's end marker
   * ({@link TruncatedEnd}, the rule the gateway applies at the door), or the JPEG reader warned
   * that the data ended early (libjpeg's "premature end of data segment"). Other warnings, such as
   * extraneous bytes between markers, are not truncation, and Pillow reads those files too. The
   * JDK's PNG reader decodes a file cut inside its last IDAT chunk without a word, hence the IEND
   * check.
   */
  private static Optional<String> truncation(String format, byte[] bytes, List<String> warnings) {
    Optional<String> end = TruncatedEnd.of(bytes);
    if (end.isPresent() || !"jpeg".equalsIgnoreCase(format)) {
      return end;
    }
    return warnings.stream()
        .filter(w -> w != null && w.toLowerCase(Locale.ROOT).contains("premature end"))
        .findFirst()
        .map(w -> "the JPEG data ends early (" + w + "); the missing part would be filled");
  }

  /** A three-component YCbCr JPEG, whose raw components we convert like libjpeg does. */
  private static boolean plainYCbCrJpeg(ImageReader reader) throws IOException {
    if (!"jpeg".equalsIgnoreCase(reader.getFormatName())) {
      return false;
    }
    IIOMetadata metadata = reader.getImageMetadata(0);
    if (metadata == null || !metadata.isStandardMetadataFormatSupported()) {
      return false;
    }
    Node chroma =
        child(metadata.getAsTree(IIOMetadataFormatImpl.standardMetadataFormatName), "Chroma");
    Node space = child(chroma, "ColorSpaceType");
    Node channels = child(chroma, "NumChannels");
    return space instanceof Element s
        && "YCbCr".equals(s.getAttribute("name"))
        && channels instanceof Element c
        && "3".equals(c.getAttribute("value"));
  }

  private static Node child(Node parent, String name) {
    if (parent == null) {
      return null;
    }
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (name.equals(n.getNodeName())) {
        return n;
      }
    }
    return null;
  }

  static RgbImage toRgb(BufferedImage image) {
    int width = image.getWidth();
    int height = image.getHeight();
    byte[] rgb = new byte[width * height * 3];
    ColorModel model = image.getColorModel();
    int spaceType = model.getColorSpace().getType();
    boolean component =
        model instanceof ComponentColorModel
            && (spaceType == ColorSpace.TYPE_GRAY || spaceType == ColorSpace.TYPE_RGB);
    if (component) {
      // Read the stored samples: getRGB() would convert grey through a linear colour space and
      // brighten it, which Pillow does not do.
      Raster raster = image.getRaster();
      int colours = model.getNumColorComponents();
      int bands = raster.getNumBands();
      int shift = Math.max(0, model.getComponentSize(0) - 8);
      int[] row = new int[width * bands];
      for (int y = 0; y < height; y++) {
        raster.getPixels(0, y, width, 1, row);
        for (int x = 0; x < width; x++) {
          int base = (y * width + x) * 3;
          for (int c = 0; c < 3; c++) {
            int sample = row[x * bands + (colours == 1 ? 0 : c)] >> shift;
            rgb[base + c] = (byte) sample;
          }
        }
      }
    } else {
      int[] row = new int[width];
      for (int y = 0; y < height; y++) {
        image.getRGB(0, y, width, 1, row, 0, width);
        for (int x = 0; x < width; x++) {
          int argb = row[x];
          int base = (y * width + x) * 3;
          rgb[base] = (byte) (argb >> 16);
          rgb[base + 1] = (byte) (argb >> 8);
          rgb[base + 2] = (byte) argb;
        }
      }
    }
    return new RgbImage(width, height, rgb);
  }
}
