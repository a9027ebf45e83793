package multimodal.devkit.images;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Test pictures for the colour-and-shape CLIP fixture ({@code ColourClipFixture}): one filled shape
 * of one colour, centred on a white square canvas, drawn with Java2D (anti-aliased).
 *
 * <p>The shape's bounding box is {@code fraction} of the canvas side; the fixture recognises
 * {@value #MIN_FRACTION} to {@value #MAX_FRACTION} (tested), and roughly 0.4 to 0.85. A triangle
 * points up, its base as wide as it is high. Any canvas size works: the encoder's preprocessing
 * resizes it to the 224-pixel crop.
 */
public final class ShapeImages {
  public static final double MIN_FRACTION = 0.5;
  public static final double MAX_FRACTION = 0.8;

  /** The shapes, each with the word the fixture's text tower knows. */
  public enum Shape {
    CIRCLE,
    SQUARE,
    TRIANGLE;

    /** "circle", "square", "triangle". */
    public String word() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private ShapeImages() {}

  /** A {@code side} × {@code side} white RGB image with the shape centred on it. */
  public static BufferedImage draw(Shape shape, Color colour, int side, double fraction) {
    if (fraction <= 0 || fraction > 1) {
      throw new IllegalArgumentException("fraction must be in (0, 1]: " + fraction);
    }
    BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, side, side);
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(colour);
      double size = side * fraction;
      double left = (side - size) / 2;
      switch (shape) {
        case CIRCLE -> g.fill(new Ellipse2D.Double(left, left, size, size));
        case SQUARE -> g.fill(new Rectangle2D.Double(left, left, size, size));
        case TRIANGLE -> {
          Path2D.Double triangle = new Path2D.Double();
          triangle.moveTo(side / 2.0, left);
          triangle.lineTo(left + size, left + size);
          triangle.lineTo(left, left + size);
          triangle.closePath();
          g.fill(triangle);
        }
      }
    } finally {
      g.dispose();
    }
    return image;
  }

  /** {@link #draw} encoded as PNG. */
  public static byte[] png(Shape shape, Color colour, int side, double fraction) {
    return png(draw(shape, colour, side, fraction));
  }

  /** Any image encoded as PNG. */
  public static byte[] png(BufferedImage image) {
    try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      if (!ImageIO.write(image, "png", out)) {
        throw new IllegalStateException("no PNG writer");
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
