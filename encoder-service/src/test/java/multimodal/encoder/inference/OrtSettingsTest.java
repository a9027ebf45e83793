package multimodal.encoder.inference;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import multimodal.media.ImageLimits;
import org.junit.jupiter.api.Test;

class OrtSettingsTest {
  private static final ImageLimits LIMITS = new ImageLimits(1 << 20, 1_000_000);

  @Test
  void turnsIntraOpSpinningOffWhenAsked() throws Exception {
    ModelLoader loader =
        new ModelLoader(
            OrtEnvironment.getEnvironment(), new OrtSettings(2, 1, "all", "cpu", 0, false), LIMITS);
    try (OrtSession.SessionOptions options = loader.sessionOptions()) {
      assertThat(options.getConfigEntries()).containsEntry("session.intra_op.allow_spinning", "0");
    }
  }

  @Test
  void zeroIntraOpThreadsMeansTheJvmsProcessorsNotOnnxRuntimesOwnCount() {
    assertThat(OrtSettings.defaults().intraOpThreads()).isZero();
    assertThat(OrtSettings.defaults().intraOpThreadsToUse())
        .isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(new OrtSettings(3, 1, "all", "cpu", 0).intraOpThreadsToUse()).isEqualTo(3);
  }

  @Test
  void batchesRunningAtOnceShareTheProcessorsUnlessTheThreadsAreSet() {
    int processors = Runtime.getRuntime().availableProcessors();
    assertThat(OrtSettings.defaults().sharedBy(2).intraOpThreads())
        .isEqualTo(Math.max(1, processors / 2));
    assertThat(OrtSettings.defaults().sharedBy(1).intraOpThreads()).isEqualTo(processors);
    assertThat(OrtSettings.defaults().sharedBy(processors * 4).intraOpThreads()).isEqualTo(1);
    assertThat(new OrtSettings(3, 1, "all", "cpu", 0).sharedBy(2).intraOpThreads()).isEqualTo(3);
  }

  @Test
  void leavesOnnxRuntimesSpinningDefaultAlone() throws Exception {
    ModelLoader loader =
        new ModelLoader(OrtEnvironment.getEnvironment(), OrtSettings.defaults(), LIMITS);
    try (OrtSession.SessionOptions options = loader.sessionOptions()) {
      assertThat(options.getConfigEntries()).doesNotContainKey("session.intra_op.allow_spinning");
    }
  }
}
