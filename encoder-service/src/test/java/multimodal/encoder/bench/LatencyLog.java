package multimodal.encoder.bench;

import java.util.Arrays;

/** Call latencies from many threads, summarised as percentiles. */
final class LatencyLog {
  private long[] nanos = new long[1024];
  private int size;

  synchronized void add(long latencyNanos) {
    if (size == nanos.length) {
      nanos = Arrays.copyOf(nanos, size * 2);
    }
    nanos[size++] = latencyNanos;
  }

  synchronized void clear() {
    size = 0;
  }

  /** {@code p50 / p90 / p99 / max} in milliseconds. */
  synchronized String summary() {
    if (size == 0) {
      return "no calls";
    }
    long[] sorted = Arrays.copyOf(nanos, size);
    Arrays.sort(sorted);
    return String.format(
        "p50 %.0f / p90 %.0f / p99 %.0f / max %.0f ms",
        percentile(sorted, 0.50),
        percentile(sorted, 0.90),
        percentile(sorted, 0.99),
        sorted[size - 1] / 1e6);
  }

  private static double percentile(long[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
  }
}
