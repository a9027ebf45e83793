package multimodal.media;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The PNG decoder with libdeflate against the same decoder with the JDK's zlib, side by side in one
 * run on the same files (a main, not a test): thread CPU ms per decode, each file in alternating
 * rounds so that a change of the machine's load hits both.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *   multimodal.media.PngInflateBenchmark [--rounds 5] [--seconds 1] [--images ../testdata/images]
 * </pre>
 */
public final class PngInflateBenchmark {
  private static final ImageLimits LIMITS = new ImageLimits(64 << 20, 100_000_000);
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  public static void main(String[] args) throws Exception {
    List<String> flags = List.of(args);
    int rounds = Integer.parseInt(flag(flags, "--rounds", "5"));
    double seconds = Double.parseDouble(flag(flags, "--seconds", "1"));
    Path dir = Path.of(flag(flags, "--images", "../testdata/images"));
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(f -> f.toString().endsWith(".png")).sorted().toList();
    }
    LibDeflate deflate = LibDeflate.load();
    System.out.printf(
        "PNG decode (PngRgb: inflate, row filters, to RGB), thread CPU ms per image, median of %d"
            + " rounds of %.1f s each, JDK zlib vs libdeflate%n",
        rounds, seconds);
    double jdkTotal = 0;
    double libdeflateTotal = 0;
    for (Path file : files) {
      byte[] png = Files.readAllBytes(file);
      double[] jdk = new double[rounds];
      double[] fast = new double[rounds];
      for (int r = 0; r < rounds; r++) {
        jdk[r] = cpuMillisPerDecode(png, null, seconds);
        fast[r] = cpuMillisPerDecode(png, deflate, seconds);
      }
      double jdkMedian = median(jdk);
      double fastMedian = median(fast);
      jdkTotal += jdkMedian;
      libdeflateTotal += fastMedian;
      System.out.printf(
          "%-20s JDK %6.2f  libdeflate %6.2f  = %.2fx%n",
          file.getFileName(), jdkMedian, fastMedian, jdkMedian / fastMedian);
    }
    System.out.printf(
        "mean of %d PNGs: JDK %.2f ms, libdeflate %.2f ms = %.2fx%n",
        files.size(),
        jdkTotal / files.size(),
        libdeflateTotal / files.size(),
        jdkTotal / libdeflateTotal);
    System.out.printf("RESULT png.decode.jdk.ms %.3f%n", jdkTotal / files.size());
    System.out.printf("RESULT png.decode.libdeflate.ms %.3f%n", libdeflateTotal / files.size());
  }

  private static double cpuMillisPerDecode(byte[] png, LibDeflate deflate, double seconds) {
    long cpu0 = THREADS.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    long decodes = 0;
    while (System.nanoTime() - start < seconds * 1e9 || decodes < 3) {
      if (PngRgb.decode(png, "bench", LIMITS, deflate) == null) {
        throw new IllegalStateException("not a PNG the direct decoder reads");
      }
      decodes++;
    }
    return (THREADS.getCurrentThreadCpuTime() - cpu0) / 1e6 / decodes;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static String flag(List<String> flags, String name, String fallback) {
    int i = flags.indexOf(name);
    return i >= 0 && i + 1 < flags.size() ? flags.get(i + 1) : fallback;
  }

  private PngInflateBenchmark() {}
}
