package multimodal.generator;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import multimodal.devkit.hub.FetchModelsScript;
import multimodal.devkit.hub.HubMirror;
import multimodal.generator.inference.caption.CaptionTaskKind;
import multimodal.generator.inference.caption.VitGpt2Captioner;
import multimodal.generator.inference.generation.Generated;
import multimodal.generator.inference.generation.GenerationControl;
import multimodal.generator.inference.generation.GenerationEngine;
import multimodal.generator.inference.onnx.ModelFiles;
import multimodal.generator.inference.vqa.SmolVlmAnswerer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real-exports path for captioning and VQA, offline: the generated ViT-GPT2 and SmolVLM models
 * (the real file layouts) are served by a hub mirror on 127.0.0.1 under the Hugging Face URL
 * layout, {@code scripts/fetch-models.sh} fetches them with a manifest of their real SHA-256s, and
 * the generator's own loaders caption and answer with the result.
 */
class RealExportsMirrorTest {
  private static final String REVISION = "89abcdef0123456789abcdef0123456789abcdef";
  private static final String CAPTION = "vit-gpt2-image-captioning";
  private static final String VQA = "smolvlm-256m-instruct";
  private static final FetchModelsScript FETCH = new FetchModelsScript(Path.of(".."));

  @Test
  void fetchesTheChosenModelsAndTheGeneratorCaptionsAndAnswersWithThem(@TempDir Path tmp)
      throws Exception {
    Path models = tmp.resolve("models");
    try (HubMirror mirror = HubMirror.start();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      List<String> lines = new ArrayList<>();
      lines.addAll(
          mirror.publish(
              CAPTION, "Xenova/vit-gpt2-image-captioning", REVISION, TestModels.captionFixture()));
      lines.addAll(
          mirror.publish(
              VQA, "HuggingFaceTB/SmolVLM-256M-Instruct", REVISION, TestModels.vqaFixture()));
      Path manifest = FetchModelsScript.writeManifest(tmp.resolve("models.lock"), lines);

      FetchModelsScript.Outcome captionOnly =
          FETCH.run(mirror.baseUrl(), manifest, models, CAPTION);
      assertThat(captionOnly.exitCode()).as(captionOnly.output()).isZero();
      assertThat(models.resolve(CAPTION).resolve("onnx/decoder_model_merged.onnx"))
          .hasSameBinaryContentAs(
              TestModels.captionFixture().resolve("onnx/decoder_model_merged.onnx"));
      assertThat(models.resolve(VQA)).as("not asked for").doesNotExist();

      FetchModelsScript.Outcome all = FETCH.run(mirror.baseUrl(), manifest, models);
      assertThat(all.exitCode()).as(all.output()).isZero();
      assertThat(all.output()).contains("already present and verified");

      try (VitGpt2Captioner captioner =
          VitGpt2Captioner.load(
              new ModelFiles(models.resolve(CAPTION)), OrtEnvironment.getEnvironment(), options)) {
        List<Generated> captions =
            captioner.caption(
                List.of(TestImages.shape(Color.RED, "circle", 224)),
                CaptionTaskKind.CAPTION,
                captioner.defaults(),
                GenerationControl.unlimited(),
                GenerationEngine.TokenListener.NONE);
        assertThat(captions).extracting(Generated::text).containsExactly("a red circle");
      }
      try (SmolVlmAnswerer answerer =
          SmolVlmAnswerer.load(
              new ModelFiles(models.resolve(VQA)), OrtEnvironment.getEnvironment(), options)) {
        Generated answer =
            answerer.ask(
                TestImages.shape(Color.BLUE, "square", 512),
                "What colour is it?",
                answerer.defaults(),
                GenerationControl.unlimited(),
                GenerationEngine.TokenListener.NONE);
        assertThat(answer.text()).isEqualTo("blue");
      }
    }
  }
}
