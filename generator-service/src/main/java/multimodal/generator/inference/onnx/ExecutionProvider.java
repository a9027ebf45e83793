package multimodal.generator.inference.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.util.EnumSet;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Where the generator's ONNX Runtime sessions run ({@code generator.ort.execution-provider}):
 * {@code cpu}, or {@code cuda} on one GPU. As in encoder-service, CUDA that this ONNX Runtime build
 * or machine cannot give falls back to the CPU with a warning that says why: the service still
 * works, and {@link #cudaInUse} (logged, and in the gpu overlay's checks) tells which happened.
 */
public final class ExecutionProvider {
  private static final Logger LOG = Logger.getLogger(ExecutionProvider.class);

  private final String name;
  private final int cudaDevice;
  private final Supplier<EnumSet<OrtProvider>> available;
  private volatile boolean cudaInUse;

  /**
   * @throws IllegalArgumentException for a name other than cpu or cuda (a typo must not silently
   *     mean CPU)
   */
  public ExecutionProvider(String name, int cudaDevice) {
    this(name, cudaDevice, OrtEnvironment::getAvailableProviders);
  }

  ExecutionProvider(String name, int cudaDevice, Supplier<EnumSet<OrtProvider>> available) {
    if (!"cpu".equalsIgnoreCase(name) && !"cuda".equalsIgnoreCase(name)) {
      throw new IllegalArgumentException(
          "generator.ort.execution-provider: unknown execution provider '"
              + name
              + "' (use cpu or cuda)");
    }
    this.name = name;
    this.cudaDevice = cudaDevice;
    this.available = available;
  }

  /**
   * Adds CUDA to {@code options} when asked for and available; leaves them on the CPU otherwise.
   */
  public void applyTo(OrtSession.SessionOptions options) {
    if (!"cuda".equalsIgnoreCase(name)) {
      return;
    }
    if (!available.get().contains(OrtProvider.CUDA)) {
      LOG.warnf(
          "execution provider cuda requested but this ONNX Runtime build has no CUDA (the"
              + " onnxruntime_gpu build and CUDA 12 + cuDNN 9 are needed); running on CPU."
              + " Available: %s",
          available.get());
      return;
    }
    try {
      options.addCUDA(cudaDevice);
      cudaInUse = true;
      LOG.infof("ONNX Runtime sessions use CUDA device %d", cudaDevice);
    } catch (OrtException e) {
      LOG.warnf("CUDA execution provider unusable (%s); running on CPU", e.getMessage());
    }
  }

  /** True once CUDA was added to a session's options. */
  public boolean cudaInUse() {
    return cudaInUse;
  }
}
