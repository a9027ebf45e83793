package multimodal.retrieval.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import multimodal.retrieval.IndexChange;
import multimodal.retrieval.MediaEmbedding;
import multimodal.retrieval.ModelVersion;
import multimodal.retrieval.QueryEncoder;
import multimodal.retrieval.TestConfigs;
import multimodal.retrieval.config.RetrievalConfig;
import multimodal.retrieval.grpc.RetrievalGrpcServiceAccess;
import multimodal.retrieval.index.IndexFields;
import multimodal.retrieval.index.LuceneMediaIndex;
import multimodal.retrieval.index.MediaItem;
import multimodal.retrieval.search.MediaSearch;
import multimodal.v1.Embedding;
import multimodal.v1.ImageSource;
import multimodal.v1.RetrievalServiceGrpc;
import multimodal.v1.SearchRequest;
import multimodal.v1.SearchResponse;

/**
 * ANN benchmark (a main, not a test): N × dim unit vectors from a deterministic clustered
 * generator, Q queries, exact top-k ground truth; Lucene HNSW through {@link LuceneMediaIndex} (the
 * service's own index code) against Debian's python3-hnswlib and python3-faiss (HNSW with the same
 * M and efConstruction) on the same vectors, in the same run; then the gRPC Search p99 over the
 * same index. Prints a table; see the module README for the command and figures.
 *
 * <p>{@code --phase build} writes the vectors and builds every index into the work directory (the
 * Python baselines and Lucene at the same time, one thread each unless --build-threads gives the
 * baselines more), then force-merges the Lucene index into one segment ({@code --phase merge} does
 * only that); {@code --engines} names what a build makes (default truth,hnswlib,faiss,lucene);
 * {@code --phase grpc} measures only the gRPC latencies; {@code --phase query} measures recall,
 * QPS, memory and gRPC latency on what the build left, so the timings can run on an idle machine:
 * every engine's passes interleaved in {@code --rounds} rounds ({@link InterleavedRounds}), QPS
 * ratios at equal recall taken within each round; {@code --phase all} (default) does both.
 *
 * <p>Arguments (all optional): --phase all --n 1000000 --queries 10000 --dim 512 --clusters 1000
 * --m 16 --efc 100 --ef 10,20,40,80,160,320 --rounds 3 --k 10 --int8 false --grpc-queries 2000
 * --python /usr/bin/python3 --workdir target/ann-bench --engines truth,hnswlib,faiss,lucene
 * --build-threads 1
 */
public final class AnnBenchmark {
  static final ModelVersion MODEL = new ModelVersion("clip", "bench");

  public static void main(String[] argv) throws Exception {
    Map<String, String> a = args(argv);
    int n = Integer.parseInt(a.getOrDefault("n", "1000000"));
    int q = Integer.parseInt(a.getOrDefault("queries", "10000"));
    int dim = Integer.parseInt(a.getOrDefault("dim", "512"));
    int clusters = Integer.parseInt(a.getOrDefault("clusters", "1000"));
    int m = Integer.parseInt(a.getOrDefault("m", "16"));
    int efc = Integer.parseInt(a.getOrDefault("efc", "100"));
    int k = Integer.parseInt(a.getOrDefault("k", "10"));
    boolean int8 = Boolean.parseBoolean(a.getOrDefault("int8", "false"));
    int grpcQueries = Integer.parseInt(a.getOrDefault("grpc-queries", "2000"));
    int[] efs =
        Arrays.stream(a.getOrDefault("ef", "10,20,40,80,160,320").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    Path work = Path.of(a.getOrDefault("workdir", "target/ann-bench")).toAbsolutePath();
    Files.createDirectories(work);
    System.out.printf(
        Locale.ROOT,
        "ANN benchmark: n=%d queries=%d dim=%d clusters=%d M=%d efConstruction=%d k=%d int8=%s, %d"
            + " cores, Java %s%n",
        n,
        q,
        dim,
        clusters,
        m,
        efc,
        k,
        int8,
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));

    String phase = a.getOrDefault("phase", "all");
    if (!List.of("all", "build", "merge", "query", "grpc").contains(phase)) {
      throw new IllegalArgumentException(
          "--phase must be all, build, merge, query or grpc, not " + phase);
    }
    Path vectors = work.resolve("vectors.f32");
    Path queryFile = work.resolve("queries.f32");
    Path gt = work.resolve("gt.i32");
    Path script = work.resolve("ann_baselines.py");
    try (InputStream in = AnnBenchmark.class.getResourceAsStream("/bench/ann_baselines.py")) {
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    List<String> python =
        List.of(
            a.getOrDefault("python", "/usr/bin/python3"),
            script.toString(),
            "--vectors",
            vectors.toString(),
            "--queries",
            queryFile.toString(),
            "--dim",
            Integer.toString(dim),
            "--m",
            Integer.toString(m),
            "--efc",
            Integer.toString(efc),
            "--k",
            Integer.toString(k),
            "--gt",
            gt.toString(),
            "--workdir",
            work.toString(),
            "--build-threads",
            a.getOrDefault("build-threads", "1"));
    // --engines picks what a build phase (re)builds, e.g. only "lucene" after an index-format
    // change,
    // and which baselines a query phase compares Lucene with.
    List<String> engines =
        List.of(a.getOrDefault("engines", "truth,hnswlib,faiss,lucene").split(","));
    Path indexDir = work.resolve("lucene");
    Path luceneBuild = work.resolve("lucene-build.json");
    LuceneMediaIndex.Settings settings = new LuceneMediaIndex.Settings(m, efc, int8, 1900);
    if (phase.equals("all") || phase.equals("build")) {
      build(
          n,
          q,
          dim,
          clusters,
          settings,
          vectors,
          queryFile,
          indexDir,
          luceneBuild,
          python,
          engines);
    }
    if (phase.equals("grpc")) { // the gRPC latencies alone, on the built index
      try (LuceneMediaIndex index = LuceneMediaIndex.open(indexDir)) {
        double[] ms = grpcLatencies(index, readVectors(queryFile, dim), k, grpcQueries);
        System.out.printf(
            Locale.ROOT,
            "gRPC Search, %d sequential calls: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms%n",
            grpcQueries,
            ms[0],
            ms[1],
            ms[2]);
      }
      return;
    }
    if (!phase.equals("query") && engines.contains("lucene")) {
      merge(indexDir, luceneBuild, settings);
    }
    if (phase.equals("all") || phase.equals("query")) {
      query(
          readVectors(queryFile, dim),
          readTruth(gt, q, k),
          indexDir,
          luceneBuild,
          python,
          work,
          efs,
          k,
          int8,
          grpcQueries,
          Integer.parseInt(a.getOrDefault("rounds", "3")),
          engines);
    }
  }

  /**
   * Writes the vectors, then computes the ground truth and builds the hnswlib, faiss and Lucene
   * indexes side by side (three Python processes and this JVM, one thread each): on a small machine
   * the 1M builds take long one after the other. Since the builds share the cores, each reports its
   * CPU seconds besides wall time.
   */
  private static void build(
      int n,
      int q,
      int dim,
      int clusters,
      LuceneMediaIndex.Settings settings,
      Path vectors,
      Path queryFile,
      Path indexDir,
      Path luceneBuild,
      List<String> python,
      List<String> engines)
      throws Exception {
    long t = System.nanoTime();
    float[][] data = clustered(n, dim, clusters, 1, 7);
    // The generator is deterministic: files of the right size already hold these vectors, and a
    // baseline build still running may be reading them.
    if (!Files.exists(vectors) || Files.size(vectors) != (long) n * dim * Float.BYTES) {
      write(vectors, data);
    }
    if (!Files.exists(queryFile) || Files.size(queryFile) != (long) q * dim * Float.BYTES) {
      write(queryFile, clustered(q, dim, clusters, 2, 7));
    }
    System.out.printf(Locale.ROOT, "generated the vectors in %.1f s%n", secs(t));

    List<Process> baselines = new ArrayList<>();
    if (engines.contains("truth")) {
      baselines.add(start(concat(python, "--phase", "truth")));
    }
    for (String engine : List.of("hnswlib", "faiss")) {
      if (engines.contains(engine)) {
        baselines.add(start(concat(python, "--phase", "build", "--engine", engine)));
      }
    }
    if (!engines.contains("lucene")) {
      for (Process p : baselines) {
        await(p);
      }
      return;
    }
    deleteRecursively(indexDir);
    t = System.nanoTime();
    long cpu = processCpuNanos();
    try (LuceneMediaIndex index = LuceneMediaIndex.open(indexDir, settings)) {
      List<MediaItem> batch = new ArrayList<>();
      Instant at = Instant.parse("2026-01-01T00:00:00Z");
      for (int i = 0; i < n; i++) {
        MediaItem item = new MediaItem(Integer.toString(i), "default");
        item.apply(
            new IndexChange.Embedded(
                new MediaEmbedding(
                    Integer.toString(i),
                    "default",
                    "image/png",
                    Map.of(),
                    List.of(),
                    null,
                    at,
                    MODEL,
                    data[i])),
            "default");
        batch.add(item);
        if (batch.size() == 1000) {
          index.write(batch, List.of(), List.of());
          batch.clear();
        }
      }
      index.write(batch, List.of(), List.of());
      index.commit();
      double build = secs(t);
      double buildCpu = (processCpuNanos() - cpu) / 1e9;
      System.out.printf(
          Locale.ROOT,
          "lucene: built in %.1f s (%.1f s CPU; 1 indexing thread), %d MiB on disk%n",
          build,
          buildCpu,
          index.sizeOnDisk() >> 20);
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("build_seconds", build);
      figures.put("build_cpu_seconds", buildCpu);
      figures.put("disk_bytes", index.sizeOnDisk());
      figures.put("vector_file_bytes", vectorFileBytes(indexDir));
      new ObjectMapper().writeValue(luceneBuild.toFile(), figures);
    }
    for (Process p : baselines) {
      await(p);
    }
  }

  /**
   * Force-merges the Lucene index into one segment, as after a bulk load: the RAM buffer flushes a
   * 1M build into several segments, each with its own graph that every query searches, while
   * hnswlib and faiss search one graph.
   */
  private static void merge(Path indexDir, Path luceneBuild, LuceneMediaIndex.Settings settings)
      throws IOException {
    ObjectMapper json = new ObjectMapper();
    @SuppressWarnings("unchecked")
    Map<String, Object> figures = json.readValue(luceneBuild.toFile(), LinkedHashMap.class);
    // The build's settings: the merged segment is written in the codec the writer is opened with.
    try (LuceneMediaIndex index = LuceneMediaIndex.open(indexDir, settings)) {
      int before = index.segmentCount();
      long t = System.nanoTime();
      long cpu = processCpuNanos();
      index.forceMerge(1);
      figures.put("merge_seconds", secs(t));
      figures.put("merge_cpu_seconds", (processCpuNanos() - cpu) / 1e9);
      figures.put("segments_before_merge", before);
      figures.put("disk_bytes", index.sizeOnDisk());
      System.out.printf(
          Locale.ROOT,
          "lucene: merged %d segments into %d in %.1f s (%.1f s CPU)%n",
          before,
          index.segmentCount(),
          (double) figures.get("merge_seconds"),
          (double) figures.get("merge_cpu_seconds"));
    }
    figures.put("vector_file_bytes", vectorFileBytes(indexDir));
    json.writeValue(luceneBuild.toFile(), figures);
  }

  /**
   * Recall and QPS of the three engines on the built indexes, in interleaved rounds (see {@link
   * InterleavedRounds}), then gRPC latencies; prints the tables.
   */
  private static void query(
      float[][] queries,
      int[][] truth,
      Path indexDir,
      Path luceneBuild,
      List<String> python,
      Path work,
      int[] efs,
      int k,
      boolean int8,
      int grpcQueries,
      int rounds,
      List<String> compared)
      throws Exception {
    int q = queries.length;
    try (BaselineEngines baselines = new BaselineEngines(concat(python, "--phase", "serve"))) {
      System.gc();
      long heapBefore = usedHeap();
      LuceneMediaIndex index = LuceneMediaIndex.open(indexDir);
      index.documentCount(); // opens the searcher
      System.gc();
      long heap = usedHeap() - heapBefore;

      List<QueryEngine> engines = new ArrayList<>();
      engines.add(
          new LuceneEngine("lucene", index, IndexFields.vectorField(MODEL), queries, truth, k));
      baselines.engines().stream().filter(e -> compared.contains(e.name())).forEach(engines::add);
      InterleavedRounds passes = new InterleavedRounds(engines, efs, new int[] {1, 2});
      passes.warmUp(Math.min(q, 1000));
      passes.run(rounds, q);
      double[] latency = grpcLatencies(index, queries, k, grpcQueries);
      index.close();

      String table =
          passes.qpsTable(k)
              + passes.ratioTable("lucene")
              + sizeTable(
                  baselines.figures(),
                  new ObjectMapper().readTree(luceneBuild.toFile()),
                  int8,
                  heap)
              + String.format(
                  Locale.ROOT,
                  "%nexact ground truth (faiss IndexFlatIP, 1 thread): %.1f s%n",
                  baselines.figures().get("truth").get("ground_truth_seconds").asDouble())
              + String.format(
                  Locale.ROOT,
                  "gRPC Search (embedding query, k=%d, ef-search 100, %d sequential calls over"
                      + " loopback): p50 %.2f ms, p95 %.2f ms, p99 %.2f ms%n",
                  k,
                  grpcQueries,
                  latency[0],
                  latency[1],
                  latency[2]);
      System.out.print(table);
      Files.writeString(work.resolve("results.md"), table);
    }
  }

  private static String sizeTable(JsonNode baselines, JsonNode lucene, boolean int8, long heap) {
    long vectorFiles = lucene.get("vector_file_bytes").asLong();
    StringBuilder table =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%n| engine | build CPU (wall); threads | on disk | in memory"
                    + " |%n|---|---|---|---|%n"));
    table.append(
        String.format(
            Locale.ROOT,
            "| lucene%s | %.0f s (%.0f s); 1 + merge of %d segments into 1: %.0f s (%.0f s) | %d"
                + " MiB (vectors+graph %d MiB) | heap %d MiB + %d MiB mmapped vector/graph files"
                + " |%n",
            int8 ? " int8" : "",
            lucene.path("build_cpu_seconds").asDouble(),
            lucene.get("build_seconds").asDouble(),
            lucene.path("segments_before_merge").asInt(),
            lucene.path("merge_cpu_seconds").asDouble(),
            lucene.path("merge_seconds").asDouble(),
            lucene.get("disk_bytes").asLong() >> 20,
            vectorFiles >> 20,
            heap >> 20,
            vectorFiles >> 20));
    baselines
        .get("engines")
        .fields()
        .forEachRemaining(
            entry -> {
              JsonNode e = entry.getValue();
              table.append(
                  String.format(
                      Locale.ROOT,
                      "| %s | %.0f s (%.0f s); %d | %d MiB | %d MiB RSS after load |%n",
                      entry.getKey(),
                      e.get("build_cpu_seconds").asDouble(),
                      e.get("build_seconds").asDouble(),
                      e.path("build_threads").asInt(1),
                      e.get("disk_bytes").asLong() >> 20,
                      e.get("memory_bytes").asLong() >> 20));
            });
    return table.toString();
  }

  /**
   * Clustered unit vectors: {@code clusters} Gaussian centres (seed {@code centreSeed}), each point
   * = its centre + unit Gaussian noise, normalised. The same centres for data and queries;
   * different point seeds.
   */
  public static float[][] clustered(
      int count, int dim, int clusters, long pointSeed, long centreSeed) {
    SplittableRandom centresRandom = new SplittableRandom(centreSeed);
    float[][] centres = new float[clusters][dim];
    for (float[] c : centres) {
      for (int d = 0; d < dim; d++) {
        c[d] = (float) gaussian(centresRandom);
      }
    }
    SplittableRandom random = new SplittableRandom(pointSeed);
    float[][] out = new float[count][dim];
    for (int i = 0; i < count; i++) {
      float[] c = centres[random.nextInt(clusters)];
      double norm = 0;
      for (int d = 0; d < dim; d++) {
        float v = c[d] + (float) gaussian(random);
        out[i][d] = v;
        norm += (double) v * v;
      }
      float inv = (float) (1 / Math.sqrt(norm));
      for (int d = 0; d < dim; d++) {
        out[i][d] *= inv;
      }
    }
    return out;
  }

  /** Box–Muller (SplittableRandom has no nextGaussian on Java 17). */
  private static double gaussian(SplittableRandom r) {
    double u = r.nextDouble();
    double v = r.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
  }

  /** p50, p95, p99 in ms of sequential gRPC Search calls (embedding queries) over loopback. */
  private static double[] grpcLatencies(LuceneMediaIndex index, float[][] queries, int k, int calls)
      throws Exception {
    RetrievalConfig config = TestConfigs.config(Map.of());
    QueryEncoder unused =
        new QueryEncoder() {
          @Override
          public List<Embedding> encodeTexts(List<String> texts, String model) {
            throw new UnsupportedOperationException("embedding queries only");
          }

          @Override
          public Embedding encodeImage(ImageSource image, String model) {
            throw new UnsupportedOperationException("embedding queries only");
          }
        };
    MediaSearch search = new MediaSearch(index, unused, config, new SimpleMeterRegistry());
    io.grpc.ServerServiceDefinition service =
        RetrievalGrpcServiceAccess.plainGrpc(search, unused, config);
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(service)
            .build()
            .start();
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    try {
      RetrievalServiceGrpc.RetrievalServiceBlockingStub stub =
          RetrievalServiceGrpc.newBlockingStub(channel);
      double[] ms = new double[calls];
      for (int i = -Math.min(500, calls); i < calls; i++) { // the first calls warm up
        float[] v = queries[Math.floorMod(i, queries.length)];
        Embedding.Builder e =
            Embedding.newBuilder()
                .setModelName(MODEL.name())
                .setModelVersion(MODEL.version())
                .setDimension(v.length);
        for (float x : v) {
          e.addValues(x);
        }
        long start = System.nanoTime();
        SearchResponse r =
            stub.withDeadlineAfter(10, TimeUnit.SECONDS)
                .search(
                    SearchRequest.newBuilder()
                        .setTenant("default")
                        .setEmbedding(e)
                        .setK(k)
                        .build());
        double took = (System.nanoTime() - start) / 1e6;
        if (r.getHitsCount() != k) {
          throw new IllegalStateException("gRPC search returned " + r.getHitsCount() + " hits");
        }
        if (i >= 0) {
          ms[i] = took;
        }
      }
      Arrays.sort(ms);
      return new double[] {
        ms[(int) (calls * 0.50)],
        ms[(int) (calls * 0.95)],
        ms[Math.min(calls - 1, (int) (calls * 0.99))]
      };
    } finally {
      channel.shutdownNow();
      server.shutdownNow();
    }
  }

  private static void write(Path file, float[][] vectors) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      ByteBuffer buf =
          ByteBuffer.allocate(vectors[0].length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      for (float[] v : vectors) {
        buf.clear();
        buf.asFloatBuffer().put(v);
        out.write(buf.array());
      }
    }
  }

  private static int[][] readTruth(Path file, int q, int k) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    int[][] truth = new int[q][k];
    for (int i = 0; i < q; i++) {
      for (int j = 0; j < k; j++) {
        truth[i][j] = buf.getInt();
      }
    }
    return truth;
  }

  private static long vectorFileBytes(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      return files
          .filter(p -> p.toString().matches(".*\\.(vec|vex|veq|vemf|vemq|vem)$"))
          .mapToLong(p -> p.toFile().length())
          .sum();
    }
  }

  /** Starts a baseline process whose output is copied, prefixed, to ours by a daemon thread. */
  private static Process start(List<String> command) throws IOException {
    System.out.println(
        "running "
            + String.join(" ", command.subList(0, 2))
            + " "
            + String.join(" ", command.subList(command.size() - 2, command.size())));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    Thread copy =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  System.out.println("  " + line);
                }
              } catch (IOException e) {
                System.out.println("  (output lost: " + e + ")");
              }
            });
    copy.setDaemon(true);
    copy.start();
    return p;
  }

  private static void await(Process p) throws InterruptedException {
    if (p.waitFor() != 0) {
      throw new IllegalStateException("baseline script failed with exit code " + p.exitValue());
    }
  }

  private static List<String> concat(List<String> list, String... more) {
    List<String> all = new ArrayList<>(list);
    all.addAll(List.of(more));
    return all;
  }

  private static float[][] readVectors(Path file, int dim) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    float[][] out = new float[buf.remaining() / (dim * Float.BYTES)][dim];
    for (float[] v : out) {
      buf.asFloatBuffer().get(v);
      buf.position(buf.position() + dim * Float.BYTES);
    }
    return out;
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static long usedHeap() {
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  private static double secs(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var walk = Files.walk(dir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static Map<String, String> args(String[] argv) {
    Map<String, String> a = new LinkedHashMap<>();
    for (int i = 0; i + 1 < argv.length; i += 2) {
      a.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
    }
    return a;
  }
}
