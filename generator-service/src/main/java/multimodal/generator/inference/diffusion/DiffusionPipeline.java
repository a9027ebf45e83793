package multimodal.generator.inference.diffusion;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import multimodal.generator.inference.generation.GenerationControl;
import multimodal.generator.inference.onnx.Sessions;

/**
 * Text to image with a Stable-Diffusion-family ONNX export ({@link DiffusionExport}):
 *
 * <ol>
 *   <li>the prompt and (with guidance) the negative prompt through the CLIP text encoder, once
 *       each, repeated for the N candidates;
 *   <li>seeded unit Gaussian latents {@code [N, C, H/8, W/8]} ({@link CandidateNoise}) times the
 *       scheduler's initial σ;
 *   <li>for each timestep: latents × the scheduler's input scale → UNet (with guidance: {@link
 *       GuidedDenoiser}) → scheduler step; cancellation and the deadline are checked before each
 *       UNet run (a running one is also interrupted), and {@link DiffusionProgress} told after each
 *       step;
 *   <li>each candidate's latents ÷ the VAE's scaling factor → VAE decoder → PNG.
 * </ol>
 *
 * The scheduler class and its settings come from {@code scheduler/scheduler_config.json} (or a
 * class named at load, with that file's settings). Thread-safe: sessions are shared, all state of a
 * generation is local to it.
 */
public final class DiffusionPipeline implements AutoCloseable {
  private final DiffusionExport export;
  private final SchedulerConfig scheduler;
  private final PromptEncoder promptEncoder;
  private final Unet unet;
  private final VaeDecoder vaeDecoder;

  private DiffusionPipeline(
      DiffusionExport export,
      SchedulerConfig scheduler,
      PromptEncoder promptEncoder,
      Unet unet,
      VaeDecoder vaeDecoder) {
    this.export = export;
    this.scheduler = scheduler;
    this.promptEncoder = promptEncoder;
    this.unet = unet;
    this.vaeDecoder = vaeDecoder;
  }

  /**
   * Loads the three graphs, the tokenizer and the scheduler config.
   *
   * @param schedulerClass a diffusers scheduler class to use instead of the config's own (see
   *     {@link Schedulers#SUPPORTED}); null keeps the config's
   * @throws IllegalStateException for a missing file or a graph without the expected interface
   * @throws IllegalArgumentException for a scheduler config this pipeline cannot run
   */
  public static DiffusionPipeline load(
      Path dir, OrtEnvironment env, OrtSession.SessionOptions options, String schedulerClass)
      throws OrtException, IOException {
    DiffusionExport export = DiffusionExport.open(dir);
    SchedulerConfig scheduler = SchedulerConfig.read(export.schedulerConfig(), schedulerClass);
    Schedulers.create(scheduler, 1); // an unknown class or setting fails the load, not a request
    PromptEncoder promptEncoder = null;
    Unet unet = null;
    try {
      promptEncoder = PromptEncoder.load(export, env, options);
      unet = Unet.load(export, env, options);
      VaeDecoder vaeDecoder = VaeDecoder.load(export, env, options);
      return new DiffusionPipeline(export, scheduler, promptEncoder, unet, vaeDecoder);
    } catch (OrtException | IOException | RuntimeException e) {
      Sessions.closeQuietly(unet, promptEncoder);
      throw e;
    }
  }

  /**
   * Generates {@code request.candidates()} images.
   *
   * @throws IllegalArgumentException for settings the scheduler refuses (e.g. more steps than it
   *     has timesteps)
   * @throws multimodal.generator.inference.generation.GenerationStoppedException when {@code
   *     control} is cancelled or its deadline passes
   */
  public List<GeneratedImage> generate(
      DiffusionRequest request, GenerationControl control, DiffusionProgress progress)
      throws OrtException {
    return generate(request, null, control, progress);
  }

  /**
   * Generates with another scheduler class than the loaded one, on the export's scheduler settings.
   *
   * @param schedulerClass one of {@link Schedulers#SUPPORTED}; null or blank = the loaded one
   * @throws IllegalArgumentException also for a scheduler class this pipeline cannot run
   */
  public List<GeneratedImage> generate(
      DiffusionRequest request,
      String schedulerClass,
      GenerationControl control,
      DiffusionProgress progress)
      throws OrtException {
    NoiseScheduler schedule =
        Schedulers.create(scheduler.withClassName(schedulerClass), request.steps());
    int rows = request.candidates();
    int scale = export.vaeScale();
    int height = request.height() / scale;
    int width = request.width() / scale;
    int channels = unet.latentChannels();
    int rowSize = channels * height * width;
    try {
      control.check();
      GuidedDenoiser denoiser = denoiser(request, control);
      CandidateNoise noise = new CandidateNoise(request.seed(), rows, rowSize);
      float[] latents = noise.draw();
      scale(latents, schedule.initNoiseSigma(), latents);
      double[] timesteps = schedule.timesteps();
      float[] input = new float[latents.length];
      for (int step = 0; step < timesteps.length; step++) {
        control.check();
        scale(latents, schedule.inputScale(step), input);
        float[] prediction = denoiser.predict(input, rows, height, width, timesteps[step], control);
        schedule.step(step, prediction, latents, noise);
        control.stepped();
        progress.stepped(step + 1, timesteps.length);
      }
      List<GeneratedImage> images = new ArrayList<>(rows);
      for (int row = 0; row < rows; row++) {
        control.check();
        byte[] png = vaeDecoder.decodePng(latents, row, channels, height, width, control);
        images.add(
            new GeneratedImage(row, request.seed() + row, request.width(), request.height(), png));
      }
      return images;
    } catch (OrtException e) {
      throw control.failure(e);
    }
  }

  private GuidedDenoiser denoiser(DiffusionRequest request, GenerationControl control)
      throws OrtException {
    boolean guided = GuidedDenoiser.guided(request.guidanceScale());
    List<String> texts =
        guided ? List.of(request.prompt(), request.negativePrompt()) : List.of(request.prompt());
    PromptEncoder.Embeddings embeddings = promptEncoder.encode(texts, control);
    int rows = request.candidates();
    float[] conditional = repeat(embeddings, 0, rows);
    float[] unconditional = guided ? repeat(embeddings, 1, rows) : null;
    return new GuidedDenoiser(
        unet,
        conditional,
        unconditional,
        embeddings.tokens(),
        embeddings.width(),
        request.guidanceScale(),
        request.batchGuidance());
  }

  /** Block {@code block} of the embeddings, {@code times} times over. */
  private static float[] repeat(PromptEncoder.Embeddings embeddings, int block, int times) {
    int size = embeddings.rowSize();
    float[] out = new float[size * times];
    for (int i = 0; i < times; i++) {
      System.arraycopy(embeddings.values(), block * size, out, i * size, size);
    }
    return out;
  }

  private static void scale(float[] values, double factor, float[] out) {
    for (int i = 0; i < values.length; i++) {
      out[i] = (float) (values[i] * factor);
    }
  }

  /** The scheduler class in use. */
  public String schedulerName() {
    return scheduler.className();
  }

  public String version() {
    return export.version();
  }

  /** True for a generated demo model (model_index.json {@code "fixture": true}). */
  public boolean fixture() {
    return export.fixture();
  }

  @Override
  public void close() {
    Sessions.closeQuietly(vaeDecoder, unet, promptEncoder);
  }
}
