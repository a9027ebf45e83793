package multimodal.generator.inference.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class ExecutionProviderTest {
  @Test
  void cpuAddsNothing() throws Exception {
    ExecutionProvider cpu = new ExecutionProvider("cpu", 0);
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      cpu.applyTo(options);
    }
    assertThat(cpu.cudaInUse()).isFalse();
  }

  @Test
  void cudaWithoutTheGpuBuildFallsBackToTheCpu() throws Exception {
    ExecutionProvider cuda = new ExecutionProvider("cuda", 0, () -> EnumSet.of(OrtProvider.CPU));
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      cuda.applyTo(options);
    }
    assertThat(cuda.cudaInUse()).isFalse();
  }

  @Test
  void anUnknownProviderIsRefused() {
    assertThatThrownBy(() -> new ExecutionProvider("gpu", 0))
        .hasMessageContaining("generator.ort.execution-provider")
        .hasMessageContaining("cpu or cuda");
  }
}
