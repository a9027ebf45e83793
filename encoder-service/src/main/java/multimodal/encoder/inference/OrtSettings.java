package multimodal.encoder.inference;

/**
 * ONNX Runtime session settings.
 *
 * @param intraOpThreads threads inside one operator; 0 lets ONNX Runtime choose (all cores)
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

  public static OrtSettings defaults() {
    return new OrtSettings(0, 1, "all", "cpu", 0);
  }
}
