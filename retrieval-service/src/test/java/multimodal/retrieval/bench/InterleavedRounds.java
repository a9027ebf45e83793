package multimodal.retrieval.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import multimodal.retrieval.bench.QueryEngine.Pass;

/**
 * Timed passes of every engine, interleaved: each round runs every (ef, threads) once per engine,
 * back to back, in an order that rotates between rounds. On a shared or virtual machine the speed
 * drifts by tens of percent over minutes; interleaving puts every engine under the same drift, and
 * the ratios are taken within a round, then summarised over the rounds.
 */
final class InterleavedRounds {
  record Key(String engine, int ef, int threads) {}

  private final List<QueryEngine> engines;
  private final int[] efs;
  private final int[] threadCounts;
  private final Map<Key, List<Pass>> passes = new LinkedHashMap<>();
  private int rounds;

  InterleavedRounds(List<QueryEngine> engines, int[] efs, int[] threadCounts) {
    this.engines = engines;
    this.efs = efs;
    this.threadCounts = threadCounts;
  }

  /** Untimed passes over a few queries at every setting: JIT, page cache, thread pools. */
  void warmUp(int queries) throws Exception {
    for (QueryEngine engine : engines) {
      for (int ef : efs) {
        for (int threads : threadCounts) {
          engine.run(ef, threads, queries);
        }
      }
    }
  }

  void run(int roundCount, int queries) throws Exception {
    for (int round = 0; round < roundCount; round++) {
      List<QueryEngine> order = new ArrayList<>(engines);
      Collections.rotate(order, -round);
      for (int ef : efs) {
        for (int threads : threadCounts) {
          for (QueryEngine engine : order) {
            Pass pass = engine.run(ef, threads, queries);
            passes
                .computeIfAbsent(new Key(engine.name(), ef, threads), key -> new ArrayList<>())
                .add(pass);
            System.out.printf(
                Locale.ROOT,
                "round %d %s ef=%d threads=%d qps=%.0f recall=%.4f%n",
                round + 1,
                engine.name(),
                ef,
                threads,
                pass.qps(),
                pass.recall());
          }
        }
      }
      rounds++;
    }
  }

  List<Pass> passes(Key key) {
    return passes.getOrDefault(key, List.of());
  }

  /** Per engine, ef and threads: recall and the median QPS with its range over the rounds. */
  String qpsTable(int k) {
    StringBuilder t =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%n| engine | ef | threads | recall@%d | QPS, median of %d rounds (min-max)"
                    + " |%n|---|---|---|---|---|%n",
                k,
                rounds));
    passes.forEach(
        (key, list) -> {
          double[] qps = list.stream().mapToDouble(Pass::qps).toArray();
          t.append(
              String.format(
                  Locale.ROOT,
                  "| %s | %d | %d | %.4f | %.0f (%.0f-%.0f) |%n",
                  key.engine(),
                  key.ef(),
                  key.threads(),
                  list.get(0).recall(),
                  median(qps),
                  Arrays.stream(qps).min().orElse(0),
                  Arrays.stream(qps).max().orElse(0)));
        });
    return t.toString();
  }

  /**
   * Per ef and threads of {@code engine}: its QPS over each other engine's QPS at the same recall
   * (interpolated on that engine's curve of the same round and thread count), median and range over
   * the rounds.
   */
  String ratioTable(String engine) {
    List<String> others =
        engines.stream().map(QueryEngine::name).filter(n -> !n.equals(engine)).toList();
    StringBuilder t =
        new StringBuilder(String.format(Locale.ROOT, "%n| %s ef | threads | recall |", engine));
    others.forEach(
        o -> t.append(" QPS ÷ ").append(o).append(" at equal recall, median (min-max) |"));
    t.append("\n|---|---|---|").append("---|".repeat(others.size())).append('\n');
    for (int ef : efs) {
      for (int threads : threadCounts) {
        List<Pass> mine = passes(new Key(engine, ef, threads));
        if (mine.isEmpty()) {
          continue;
        }
        t.append(
            String.format(Locale.ROOT, "| %d | %d | %.4f |", ef, threads, mine.get(0).recall()));
        for (String other : others) {
          double[] ratios = new double[mine.size()];
          for (int r = 0; r < mine.size(); r++) {
            ratios[r] =
                mine.get(r).qps()
                    / EqualRecall.qpsAt(mine.get(r).recall(), curve(other, threads, r));
          }
          ratios = Arrays.stream(ratios).filter(x -> !Double.isNaN(x)).toArray();
          t.append(
              ratios.length == 0
                  ? " outside its recall range |"
                  : String.format(
                      Locale.ROOT,
                      " %.2f (%.2f-%.2f) |",
                      median(ratios),
                      Arrays.stream(ratios).min().orElse(0),
                      Arrays.stream(ratios).max().orElse(0)));
        }
        t.append('\n');
      }
    }
    return t.toString();
  }

  private List<Pass> curve(String engine, int threads, int round) {
    List<Pass> curve = new ArrayList<>();
    for (int ef : efs) {
      List<Pass> list = passes(new Key(engine, ef, threads));
      if (round < list.size()) {
        curve.add(list.get(round));
      }
    }
    return curve;
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}
