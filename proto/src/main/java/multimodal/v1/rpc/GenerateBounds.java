package multimodal.v1.rpc;

import multimodal.v1.GenerateRequest;
import multimodal.v1.InvalidFieldException;
import multimodal.v1.Limits;

/**
 * The per-request bounds of {@code Generate} ({@link Limits}{@code .GENERATE_*}), checked in one
 * place by the gateway (before its stream starts, so bad input is a plain 400) and by the generator
 * (which trusts no caller).
 */
public final class GenerateBounds {
  private GenerateBounds() {}

  /**
   * @throws InvalidFieldException naming the first field out of bounds
   */
  public static GenerateRequest check(GenerateRequest request) {
    if (request.getPrompt().isBlank()) {
      throw invalid("prompt", "a prompt is required");
    }
    text("prompt", request.getPrompt());
    text("negative_prompt", request.getNegativePrompt());
    range("candidates", request.getCandidates(), 0, Limits.GENERATE_MAX_CANDIDATES);
    range("top_k", request.getTopK(), 0, Limits.GENERATE_MAX_CANDIDATES);
    range("steps", request.getSteps(), 0, Limits.GENERATE_MAX_STEPS);
    side("width", request.getWidth());
    side("height", request.getHeight());
    if (request.hasGuidanceScale()) {
      float scale = request.getGuidanceScale();
      if (!(scale >= 0 && scale <= 50)) {
        throw invalid("guidance_scale", "must be in 0..50, got " + scale);
      }
    }
    return request;
  }

  private static void text(String field, String text) {
    if (text.length() > Limits.GENERATE_MAX_PROMPT_CHARS) {
      throw invalid(
          field,
          text.length() + " characters, over the limit of " + Limits.GENERATE_MAX_PROMPT_CHARS);
    }
  }

  private static void side(String field, int pixels) {
    range(field, pixels, 0, Limits.GENERATE_MAX_SIDE);
    if (pixels % 8 != 0) {
      throw invalid(field, "must be a multiple of 8, got " + pixels);
    }
  }

  private static void range(String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw invalid(field, "must be in " + min + ".." + max + ", got " + value);
    }
  }

  private static InvalidFieldException invalid(String field, String description) {
    return new InvalidFieldException(field, description, null);
  }
}
