package multimodal.retrieval.bench;

import java.util.Comparator;
import java.util.List;
import multimodal.retrieval.bench.QueryEngine.Pass;

/** QPS of an engine at a given recall, linearly interpolated on its recall/QPS curve over ef. */
final class EqualRecall {
  private EqualRecall() {}

  /** NaN when the recall lies outside the curve's measured range. */
  static double qpsAt(double recall, List<Pass> curve) {
    List<Pass> sorted = curve.stream().sorted(Comparator.comparingDouble(Pass::recall)).toList();
    for (int i = 0; i < sorted.size(); i++) {
      Pass p = sorted.get(i);
      if (p.recall() == recall) {
        return p.qps();
      }
      if (i > 0 && p.recall() > recall) {
        Pass lower = sorted.get(i - 1);
        if (lower.recall() > recall) {
          return Double.NaN; // below the lowest measured recall
        }
        double f = (recall - lower.recall()) / (p.recall() - lower.recall());
        return lower.qps() + f * (p.qps() - lower.qps());
      }
    }
    return Double.NaN;
  }
}
