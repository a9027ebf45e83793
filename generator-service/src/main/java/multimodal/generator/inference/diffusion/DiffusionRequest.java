package multimodal.generator.inference.diffusion;

/**
 * What to generate.
 *
 * @param negativePrompt what the unconditional branch of guidance is conditioned on ("" = none)
 * @param width pixels, a multiple of 8
 * @param height pixels, a multiple of 8
 * @param guidanceScale classifier-free guidance weight; at most 1 turns guidance off
 * @param candidates images made from the prompt in one batch, each with its own seed
 * @param batchGuidance run the guided and unguided branches as one UNet batch (else two runs)
 */
public record DiffusionRequest(
    String prompt,
    String negativePrompt,
    int width,
    int height,
    int steps,
    float guidanceScale,
    long seed,
    int candidates,
    boolean batchGuidance) {

  /**
   * @throws IllegalArgumentException naming the field that is out of range
   */
  public DiffusionRequest {
    if (prompt == null) {
      throw new IllegalArgumentException("prompt is required");
    }
    negativePrompt = negativePrompt == null ? "" : negativePrompt;
    if (width < 8 || height < 8 || width % 8 != 0 || height % 8 != 0) {
      throw new IllegalArgumentException(
          "width and height must be positive multiples of 8, were " + width + "×" + height);
    }
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be at least 1, was " + steps);
    }
    if (!(guidanceScale >= 0) || Float.isInfinite(guidanceScale)) {
      throw new IllegalArgumentException("guidance scale must be ≥ 0, was " + guidanceScale);
    }
    if (candidates < 1) {
      throw new IllegalArgumentException("candidates must be at least 1, was " + candidates);
    }
  }

  /** 512×512, 25 steps, guidance 7.5, seed 0, one candidate, guidance batched. */
  public static DiffusionRequest of(String prompt) {
    return new DiffusionRequest(prompt, "", 512, 512, 25, 7.5f, 0, 1, true);
  }

  public DiffusionRequest withNegativePrompt(String text) {
    return new DiffusionRequest(
        prompt, text, width, height, steps, guidanceScale, seed, candidates, batchGuidance);
  }

  public DiffusionRequest withSize(int newWidth, int newHeight) {
    return new DiffusionRequest(
        prompt,
        negativePrompt,
        newWidth,
        newHeight,
        steps,
        guidanceScale,
        seed,
        candidates,
        batchGuidance);
  }

  public DiffusionRequest withSteps(int newSteps) {
    return new DiffusionRequest(
        prompt,
        negativePrompt,
        width,
        height,
        newSteps,
        guidanceScale,
        seed,
        candidates,
        batchGuidance);
  }

  public DiffusionRequest withGuidance(float scale) {
    return new DiffusionRequest(
        prompt, negativePrompt, width, height, steps, scale, seed, candidates, batchGuidance);
  }

  public DiffusionRequest withSeed(long newSeed) {
    return new DiffusionRequest(
        prompt,
        negativePrompt,
        width,
        height,
        steps,
        guidanceScale,
        newSeed,
        candidates,
        batchGuidance);
  }

  public DiffusionRequest withCandidates(int count) {
    return new DiffusionRequest(
        prompt, negativePrompt, width, height, steps, guidanceScale, seed, count, batchGuidance);
  }

  public DiffusionRequest withBatchGuidance(boolean batched) {
    return new DiffusionRequest(
        prompt, negativePrompt, width, height, steps, guidanceScale, seed, candidates, batched);
  }
}
