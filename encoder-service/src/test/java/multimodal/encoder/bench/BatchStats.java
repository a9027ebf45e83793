package multimodal.encoder.bench;

/**
 * The image batches {@code clip} ran between two readings of the service's {@code /q/metrics}
 * (Prometheus text): how many, their mean size, the mean time an image waited in the batcher's
 * queue and the mean session run.
 */
record BatchStats(double batches, double images, double queueSeconds, double runSeconds) {
  static BatchStats between(String before, String after) {
    return new BatchStats(
        delta(before, after, "encoder_batch_size_count"),
        delta(before, after, "encoder_batch_size_sum"),
        delta(before, after, "encoder_batch_queue_seconds_sum"),
        delta(before, after, "encoder_inference_seconds_sum"));
  }

  private static double delta(String before, String after, String metric) {
    return value(after, metric) - value(before, metric);
  }

  /** The clip image tower's sample of {@code metric}; 0 when absent (no batch yet). */
  static double value(String metrics, String metric) {
    for (String line : metrics.split("\n")) {
      if (line.startsWith(metric + "{")
          && line.contains("model=\"clip\"")
          && line.contains("modality=\"image\"")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return 0;
  }

  @Override
  public String toString() {
    if (batches == 0) {
      return "none";
    }
    return String.format(
        "%.0f, mean size %.1f, mean queue wait %.0f ms, mean run %.0f ms (%.1f ms/image)",
        batches,
        images / batches,
        queueSeconds * 1000 / images,
        runSeconds * 1000 / batches,
        runSeconds * 1000 / images);
  }
}
