package multimodal.encoder.bench;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import multimodal.devkit.onnx.FixtureModels;
import multimodal.encoder.inference.EmbeddingModel;
import multimodal.encoder.inference.ModelLoader;
import multimodal.encoder.inference.OrtSettings;
import multimodal.media.ImageLimits;

/**
 * A main for {@code scripts/gpu-check.sh}: prints the execution providers of the ONNX Runtime on
 * the classpath, loads the colour CLIP fixture through {@link ModelLoader} with the {@code cuda}
 * provider, and embeds a text and an image. Exit 1 when CUDA is not available (the loader then
 * falls back to CPU and says so).
 */
public final class GpuCheck {
  public static void main(String[] args) throws Exception {
    Path out = Path.of(args.length > 0 ? args[0] : "target/gpu-check-models");
    var providers = OrtEnvironment.getAvailableProviders();
    System.out.println(
        "ONNX Runtime "
            + OrtEnvironment.getEnvironment().getVersion()
            + " providers: "
            + providers);
    Path dir = FixtureModels.writeClipFixture(out);
    ModelLoader loader =
        new ModelLoader(
            OrtEnvironment.getEnvironment(),
            new OrtSettings(0, 1, "all", "cuda", 0),
            new ImageLimits(16 << 20, 40_000_000));
    try (EmbeddingModel model = loader.load("clip", dir, Optional.empty())) {
      float[][] text = model.embedTexts(List.of("a red square"));
      float[][] image = model.embedPixels(List.of(new float[3 * 224 * 224]));
      System.out.printf(
          "ran text (%d dims) and image (%d dims) towers%n", text[0].length, image[0].length);
    }
    boolean cuda = providers.contains(OrtProvider.CUDA) && loader.cudaInUse();
    System.out.println(
        cuda
            ? "gpu-check: OK, the sessions ran with the CUDA execution provider"
            : "gpu-check: CUDA NOT USED (provider missing or unusable; see the warning above): CPU"
                + " fallback");
    System.exit(cuda ? 0 : 1);
  }

  private GpuCheck() {}
}
