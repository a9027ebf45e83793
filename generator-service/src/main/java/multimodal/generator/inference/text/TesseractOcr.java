package multimodal.generator.inference.text;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import multimodal.generator.InvalidInputException;

/**
 * OCR with Tesseract's real English model, through tess4j (JNA against the system {@code
 * libtesseract}, Debian {@code tesseract-ocr} + {@code tesseract-ocr-eng}).
 *
 * <p>A native TessBaseAPI is not thread-safe and loading its model costs far more than reading a
 * small image, so initialised engines are pooled ({@link TesseractEngines}) and each call borrows
 * one; concurrency is bounded by the caller.
 */
public final class TesseractOcr implements AutoCloseable {
  public static final String ENGINE = "tesseract";

  /** Where Debian and other distributions put the trained data. */
  private static final List<String> KNOWN_TESSDATA =
      List.of(
          "/usr/share/tesseract-ocr/5/tessdata",
          "/usr/share/tesseract-ocr/4.00/tessdata",
          "/usr/share/tessdata",
          "/usr/local/share/tessdata");

  private final Path tessdata;
  private final Set<String> languages;
  private final String defaultLanguage;
  private final TesseractEngines engines;

  /** Keeps as many idle engines per language as there are cores. */
  public TesseractOcr(Path tessdata, String defaultLanguage) {
    this(tessdata, defaultLanguage, Runtime.getRuntime().availableProcessors());
  }

  /**
   * @param maxIdleEngines initialised engines kept per language between calls
   */
  public TesseractOcr(Path tessdata, String defaultLanguage, int maxIdleEngines) {
    this.tessdata = tessdata;
    this.languages = installedLanguages(tessdata);
    if (!languages.contains(defaultLanguage)) {
      throw new IllegalStateException(
          "no "
              + defaultLanguage
              + ".traineddata in "
              + tessdata
              + " (apt-get install tesseract-ocr-"
              + defaultLanguage
              + ")");
    }
    this.defaultLanguage = defaultLanguage;
    this.engines = new TesseractEngines(tessdata.toString(), maxIdleEngines);
  }

  /** The configured folder, else TESSDATA_PREFIX, else the usual distribution folders. */
  public static Optional<Path> findTessdata(Optional<Path> configured) {
    if (configured.isPresent()) {
      return configured;
    }
    String prefix = System.getenv("TESSDATA_PREFIX");
    Stream<String> candidates =
        Stream.concat(prefix == null ? Stream.empty() : Stream.of(prefix), KNOWN_TESSDATA.stream());
    return candidates
        .map(Path::of)
        .filter(p -> Files.isRegularFile(p.resolve("eng.traineddata")))
        .findFirst();
  }

  private static Set<String> installedLanguages(Path tessdata) {
    try (Stream<Path> files = Files.list(tessdata)) {
      Set<String> languages = new TreeSet<>();
      files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.endsWith(".traineddata"))
          .forEach(n -> languages.add(n.substring(0, n.length() - ".traineddata".length())));
      return Set.copyOf(languages);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot list Tesseract data in " + tessdata, e);
    }
  }

  public Set<String> languages() {
    return languages;
  }

  /** Engine label for events: tesseract plus its version. */
  public String engine() {
    return ENGINE + "-" + tessdata.getParent().getFileName();
  }

  /**
   * Reads the text of one image.
   *
   * @param requested Tesseract language codes; empty = the default
   */
  public String read(BufferedImage image, List<String> requested) {
    String language = language(requested);
    // Raw RGB bytes, not a BufferedImage through tess4j: that path goes through lept4j, which looks
    // for libleptonica.so, a name Debian's leptonica package does not provide.
    ByteBuffer rgb = rgbBytes(image);
    TesseractEngine engine = engines.borrow(language);
    try {
      return normalise(engine.read(rgb, image.getWidth(), image.getHeight()));
    } finally {
      engines.giveBack(engine);
    }
  }

  /** Idle engines kept for a language (tests: engines are reused, not made per call). */
  int idleEngines(String language) {
    return engines.idle(language);
  }

  @Override
  public void close() {
    engines.close();
  }

  private static ByteBuffer rgbBytes(BufferedImage image) {
    int width = image.getWidth();
    int height = image.getHeight();
    ByteBuffer bytes = ByteBuffer.allocateDirect(width * height * 3);
    int[] row = new int[width];
    for (int y = 0; y < height; y++) {
      image.getRGB(0, y, width, 1, row, 0, width);
      for (int pixel : row) {
        bytes.put((byte) (pixel >> 16)).put((byte) (pixel >> 8)).put((byte) pixel);
      }
    }
    return bytes.rewind();
  }

  private String language(List<String> requested) {
    if (requested.isEmpty()) {
      return defaultLanguage;
    }
    for (String code : requested) {
      if (!code.matches("[a-z_A-Z]{2,16}") || !languages.contains(code)) {
        throw new InvalidInputException(
            "languages", "no Tesseract data for language '" + code + "'; installed: " + languages);
      }
    }
    return String.join("+", requested);
  }

  /**
   * Collapses Tesseract's layout whitespace: lines kept, blank lines and trailing spaces dropped.
   */
  static String normalise(String text) {
    return text.lines()
        .map(String::strip)
        .filter(l -> !l.isEmpty())
        .reduce((a, b) -> a + "\n" + b)
        .orElse("");
  }
}
