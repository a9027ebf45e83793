package multimodal.encoder.inference;

/**
 * ONNX Runtime session settings.
 *
 * @param intraOpThreads threads inside one operator; 0: as many as the JVM has processors ({@link
 *     #intraOpThreadsToUse()})
 * @param interOpThreads threads across independent operators; 0 lets ONNX Runtime choose
 * @param optimizationLevel graph optimisations: {@code all}, {@code extended}, {@code basic} or
 *     {@code none}
 * @param executionProvider {@code cpu} or {@code cuda} (needs the onnxruntime_gpu build; falls back
 *     to CPU with a warning when CUDA cannot be used)
 * @param cudaDevice the GPU used by {@code cuda}
 * @param allowSpinning whether idle intra-op threads busy-wait for the next operator (ONNX
 *     Runtime's default); off frees the cores for request threads that decode and preprocess images
 *     between batches, at the cost of a little wake-up latency per operator
 */
public record OrtSettings(
    int intraOpThreads,
    int interOpThreads,
    String optimizationLevel,
    String executionProvider,
    int cudaDevice,
    boolean allowSpinning) {

  public OrtSettings(
      int intraOpThreads,
      int interOpThreads,
      String optimizationLevel,
      String executionProvider,
      int cudaDevice) {
    this(intraOpThreads, interOpThreads, optimizationLevel, executionProvider, cudaDevice, true);
  }

  /**
   * The intra-op threads to ask ONNX Runtime for: the setting, or where it is 0 the JVM's available
   * processors, which follow a container's CPU limit. Not ONNX Runtime's own default, which counts
   * the physical cores it detects: that count ignores a pod's CPU limit (a pod limited to 2 CPUs on
   * a 64-core node would run 64 threads), and on a 2-vCPU AMD EPYC VM it came to one thread, which
   * left half the machine idle (raw batch 32: 56 images/s against 88 with two threads).
   */
  public int intraOpThreadsToUse() {
    return intraOpThreads > 0 ? intraOpThreads : Runtime.getRuntime().availableProcessors();
  }

  /**
   * These settings for {@code workers} batches that run at once: an intra-op setting of 0 becomes
   * the JVM's processors shared out among them (at least one thread each), so that together they
   * use every core and no more.
   */
  public OrtSettings sharedBy(int workers) {
    if (intraOpThreads > 0) {
      return this;
    }
    int each = Math.max(1, Runtime.getRuntime().availableProcessors() / Math.max(1, workers));
    return new OrtSettings(
        each, interOpThreads, optimizationLevel, executionProvider, cudaDevice, allowSpinning);
  }

  public static OrtSettings defaults() {
    return new OrtSettings(0, 1, "all", "cpu", 0);
  }
}
