package multimodal.media.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import multimodal.media.ImageDecoder;
import multimodal.media.ImageDecoder.Codecs;
import multimodal.media.ImageDecoder.TruncatedImages;
import multimodal.media.ImageLimits;
import multimodal.media.RgbImage;
import multimodal.media.preprocess.PillowResize;
import multimodal.media.preprocess.PixelNormaliser;
import multimodal.media.preprocess.ResampleFilter;

/**
 * Preprocessing speed against Pillow on the same files in one run: decode, CLIP's resize of the
 * short side to 224 (Pillow bicubic), centre crop 224 × 224 and normalisation, per image, one
 * thread. A main, not a test (test sources, so it needs no packaging).
 *
 * <pre>
 * PreprocessBenchmark [--pillow] [--samples] [--seconds S] [--rounds N] [--python PY] GROUP...
 * </pre>
 *
 * A GROUP is a directory (its image files, named after it), a file (named after it) or {@code
 * name=path[,path...]}. {@code --samples} adds a 12-MP JPEG, a CMYK JPEG and a WebP made from
 * {@code ../testdata/images} by {@code scripts/make_bench_images.py} (needs Pillow). Rows: {@code
 * group files java_ms_per_image}, then the same pipeline with the Java readers and the whole image
 * resized before the crop (the path before native codecs and the windowed resize), and with {@code
 * --pillow} Pillow's figures from {@code scripts/pillow_preprocess_bench.py} (run per group, taking
 * turns with the Java timing {@code --rounds} times; the median round of each is reported, so a
 * change of load on a shared machine hits both alike), the ratio Pillow / Java (above 1: Java is
 * faster), both on wall time and on the thread's CPU time (the fairer figure on a shared machine),
 * and how far Java's values are from Pillow's (max and mean |Δ| in normalised units). {@code
 * --dct-scaling N} adds a row per group for {@link ImageDecoder#decodeScaled} (JPEGs decoded by
 * libjpeg-turbo at 1/2, 1/4 or 1/8 while the short side stays at least N): off by default
 * everywhere, because its values are not Pillow's.
 */
public final class PreprocessBenchmark {
  private static final int SIZE = 224;
  private static final PixelNormaliser CLIP =
      PixelNormaliser.unitScale(
          new float[] {0.48145466f, 0.4578275f, 0.40821073f},
          new float[] {0.26862954f, 0.26130258f, 0.27577711f});
  private static final ImageLimits LIMITS = new ImageLimits(64L << 20, 100_000_000L);
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private PreprocessBenchmark() {}

  /** One way to preprocess. */
  private interface Pipeline {
    float[] run(byte[] encoded);
  }

  /** Milliseconds per image, wall and this thread's CPU. */
  private record Timing(double wall, double cpu) {}

  public static void main(String[] args) throws Exception {
    boolean pillow = false;
    boolean samples = false;
    double seconds = 2;
    int dctScaling = 0;
    int rounds = 1;
    String python =
        Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    Map<String, List<Path>> groups = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--pillow" -> pillow = true;
        case "--samples" -> samples = true;
        case "--seconds" -> seconds = Double.parseDouble(args[++i]);
        case "--python" -> python = args[++i];
        case "--dct-scaling" -> dctScaling = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        default -> addGroup(groups, args[i]);
      }
    }
    if (samples) {
      Path out = Path.of("target", "bench-images");
      run(python, script("make_bench_images.py"), "../testdata/images", out.toString());
      groups.put("12mp-jpeg", List.of(out.resolve("12mp.jpg")));
      groups.put("cmyk-jpeg", List.of(out.resolve("cmyk.jpg")));
      groups.put("webp", List.of(out.resolve("coffee.webp")));
    }
    if (groups.isEmpty()) {
      System.err.println(
          "usage: PreprocessBenchmark [--pillow] [--samples] [--seconds S] [--rounds N]"
              + " [--python PY] GROUP...");
      System.exit(2);
    }

    ImageDecoder fastCodecs = new ImageDecoder(LIMITS, TruncatedImages.REFUSE, Codecs.FAST);
    ImageDecoder imageIo = new ImageDecoder(LIMITS, TruncatedImages.REFUSE, Codecs.IMAGEIO);
    Pipeline now = bytes -> windowed(fastCodecs.decode(bytes, "bench"));
    Pipeline before = bytes -> whole(imageIo.decode(bytes, "bench"));
    int minSide = dctScaling;
    Pipeline scaled = bytes -> windowed(fastCodecs.decodeScaled(bytes, "bench", minSide));

    Path dumps = pillow ? Files.createTempDirectory("pillow-preprocess") : null;

    System.out.printf(
        Locale.ROOT,
        "# %d cores, load average %.2f, %s; %s%n",
        Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        System.getProperty("java.vm.name") + " " + Runtime.version(),
        fastCodecs.describeCodecs());
    System.out.println(
        "group\tfiles\tjava_ms_per_image\tjava_readers_whole_resize_ms"
            + (pillow
                ? "\tpillow_ms\tratio_pillow/java\tjava_cpu_ms\treaders_cpu_ms\tpillow_cpu_ms"
                    + "\tratio_cpu"
                    + "\tmax|Δ|\tmean|Δ|"
                : ""));
    double[] totals = new double[4];
    int totalFiles = 0;
    int groupNumber = 0;
    for (Map.Entry<String, List<Path>> group : groups.entrySet()) {
      List<byte[]> blobs = new ArrayList<>();
      for (Path p : group.getValue()) {
        blobs.add(Files.readAllBytes(p));
      }
      // Pillow and Java take turns, round after round, so that both see the same load; the
      // medians are reported. Pillow's output is written once, for the comparison of values.
      Path dump = pillow ? Files.createDirectories(dumps.resolve(++groupNumber + "")) : null;
      List<Timing> javaRounds = new ArrayList<>();
      List<Timing> pillowRounds = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        if (pillow) {
          pillowRounds.add(
              pillow(python, group.getKey(), group.getValue(), seconds, round == 0 ? dump : null));
        }
        javaRounds.add(time(now, blobs, seconds));
      }
      Timing java = median(javaRounds);
      Timing readers = time(before, blobs, seconds);
      StringBuilder row =
          new StringBuilder(
              String.format(
                  Locale.ROOT,
                  "%s\t%d\t%.2f\t%.2f",
                  group.getKey(),
                  blobs.size(),
                  java.wall(),
                  readers.wall()));
      if (pillow) {
        Timing p = median(pillowRounds);
        double max = 0;
        double sum = 0;
        long count = 0;
        for (int i = 0; i < blobs.size(); i++) {
          float[] ours = now.run(blobs.get(i));
          float[] theirs = readFloats(dump.resolve(i + ".f32"), ours.length);
          for (int j = 0; j < ours.length; j++) {
            double d = Math.abs(ours[j] - theirs[j]);
            max = Math.max(max, d);
            sum += d;
          }
          count += ours.length;
        }
        row.append(
            String.format(
                Locale.ROOT,
                "\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2g\t%.2g",
                p.wall(),
                p.wall() / java.wall(),
                java.cpu(),
                readers.cpu(),
                p.cpu(),
                p.cpu() / java.cpu(),
                max,
                sum / count));
        totals[2] += p.wall() * blobs.size();
        totals[3] += p.cpu() * blobs.size();
      }
      totals[0] += java.wall() * blobs.size();
      totals[1] += java.cpu() * blobs.size();
      totalFiles += blobs.size();
      System.out.println(row);
      if (dctScaling > 0) {
        Timing dct = time(scaled, blobs, seconds);
        String delta = "";
        if (pillow) {
          double max = 0;
          double sum = 0;
          long count = 0;
          for (int i = 0; i < blobs.size(); i++) {
            float[] ours = scaled.run(blobs.get(i));
            float[] theirs = readFloats(dump.resolve(i + ".f32"), ours.length);
            for (int j = 0; j < ours.length; j++) {
              double d = Math.abs(ours[j] - theirs[j]);
              max = Math.max(max, d);
              sum += d;
            }
            count += ours.length;
          }
          delta = String.format(Locale.ROOT, "\tmax|Δ| %.3g\tmean|Δ| %.3g", max, sum / count);
        }
        System.out.printf(
            Locale.ROOT,
            "%s, JPEG DCT scaling (short side >= %d)\t%d\t%.2f\tCPU %.2f%s%n",
            group.getKey(),
            dctScaling,
            blobs.size(),
            dct.wall(),
            dct.cpu(),
            delta);
      }
    }
    if (pillow && groups.size() > 1) {
      System.out.printf(
          Locale.ROOT,
          "# all %d files: java %.2f ms/image, pillow %.2f (ratio %.2f); CPU %.2f vs %.2f (ratio"
              + " %.2f)%n",
          totalFiles,
          totals[0] / totalFiles,
          totals[2] / totalFiles,
          totals[2] / totals[0],
          totals[1] / totalFiles,
          totals[3] / totalFiles,
          totals[3] / totals[1]);
    }
  }

  /** What the encoder does (ClipImagePreprocessor): only the crop's window is resized. */
  private static float[] windowed(RgbImage image) {
    int[] size = shortestEdge(image);
    return CLIP.centreCrop(
        PillowResize.resizeCentre(image, size[0], size[1], ResampleFilter.BICUBIC, SIZE, SIZE),
        SIZE,
        SIZE);
  }

  /** As Pillow and the code before: the whole image resized, then cropped. */
  private static float[] whole(RgbImage image) {
    int[] size = shortestEdge(image);
    return CLIP.centreCrop(
        PillowResize.resize(image, size[0], size[1], ResampleFilter.BICUBIC), SIZE, SIZE);
  }

  private static int[] shortestEdge(RgbImage image) {
    int w = image.width();
    int h = image.height();
    return w <= h
        ? new int[] {SIZE, (int) ((long) SIZE * h / w)}
        : new int[] {(int) ((long) SIZE * w / h), SIZE};
  }

  /**
   * Warm-up passes until the JIT has settled, then whole passes for at least {@code seconds}. Both
   * phases also run until this thread has had that much CPU time: on a loaded machine a wall-clock
   * warm-up ends before the JIT has compiled anything (its threads wait for a core too), and the
   * Vector API's code runs many times slower until then.
   */
  private static Timing time(Pipeline pipeline, List<byte[]> blobs, double seconds) {
    long warmNanos = (long) (seconds * 0.5e9);
    long warmUntil = System.nanoTime() + warmNanos;
    long warmCpuFrom = THREADS.getCurrentThreadCpuTime();
    do {
      blobs.forEach(pipeline::run);
    } while (System.nanoTime() < warmUntil
        || THREADS.getCurrentThreadCpuTime() - warmCpuFrom < warmNanos);
    long done = 0;
    long start = System.nanoTime();
    long startCpu = THREADS.getCurrentThreadCpuTime();
    long nanos = (long) (seconds * 1e9);
    do {
      blobs.forEach(pipeline::run);
      done += blobs.size();
    } while (System.nanoTime() - start < nanos
        || THREADS.getCurrentThreadCpuTime() - startCpu < nanos / 4);
    return new Timing(
        (System.nanoTime() - start) / 1e6 / done,
        (THREADS.getCurrentThreadCpuTime() - startCpu) / 1e6 / done);
  }

  /** Pillow's milliseconds per image for one group; its outputs into {@code dump} unless null. */
  private static Timing pillow(
      String python, String group, List<Path> files, double seconds, Path dump)
      throws IOException, InterruptedException {
    Path list = Files.createTempFile("preprocess-bench", ".tsv");
    StringBuilder lines = new StringBuilder();
    files.forEach(p -> lines.append(group).append('\t').append(p.toAbsolutePath()).append('\n'));
    Files.writeString(list, lines, StandardCharsets.UTF_8);
    List<String> command =
        new ArrayList<>(
            List.of(python, script("pillow_preprocess_bench.py"), list.toString(), "" + seconds));
    if (dump != null) {
      command.add(dump.toString());
    }
    try {
      for (String row : run(command.toArray(String[]::new)).split("\n")) {
        String[] f = row.split("\t");
        if (f.length == 4 && f[0].equals(group)) {
          return new Timing(Double.parseDouble(f[2]), Double.parseDouble(f[3]));
        }
      }
      throw new IllegalStateException("no row for " + group + " from the Pillow script");
    } finally {
      Files.delete(list);
    }
  }

  /** The round with the median wall time (and its CPU time). */
  private static Timing median(List<Timing> rounds) {
    List<Timing> sorted = new ArrayList<>(rounds);
    sorted.sort(java.util.Comparator.comparingDouble(Timing::wall));
    return sorted.get(sorted.size() / 2);
  }

  private static String script(String name) {
    Path here = Path.of("scripts", name);
    return (Files.exists(here) ? here : Path.of("media", "scripts", name)).toString();
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed");
    }
    return out;
  }

  private static float[] readFloats(Path file, int count) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    float[] values = new float[count];
    bytes.asFloatBuffer().get(values);
    return values;
  }

  private static void addGroup(Map<String, List<Path>> groups, String arg) throws IOException {
    int eq = arg.indexOf('=');
    if (eq > 0) {
      List<Path> files = new ArrayList<>();
      for (String p : arg.substring(eq + 1).split(",")) {
        files.add(Path.of(p));
      }
      groups.put(arg.substring(0, eq), files);
      return;
    }
    Path path = Path.of(arg);
    if (Files.isDirectory(path)) {
      try (Stream<Path> files = Files.list(path)) {
        groups.put(
            path.getFileName().toString(),
            files
                .filter(Files::isRegularFile)
                .filter(p -> !p.toString().endsWith(".md"))
                .sorted()
                .toList());
      }
    } else {
      groups.put(path.getFileName().toString(), List.of(path));
    }
  }
}
