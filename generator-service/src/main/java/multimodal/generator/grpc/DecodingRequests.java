package multimodal.generator.grpc;

import multimodal.generator.InvalidInputException;
import multimodal.generator.inference.caption.CaptionTaskKind;
import multimodal.generator.inference.generation.DecodingOptions;
import multimodal.v1.CaptionTask;
import multimodal.v1.GenerationOptions;
import multimodal.v1.LengthPreset;

/** Maps the request's task, length preset and GenerationOptions onto decoding options. */
public final class DecodingRequests {
  static final int MAX_NEW_TOKENS = 512;
  static final int MAX_BEAMS = 8;

  private DecodingRequests() {}

  public static CaptionTaskKind task(CaptionTask task) {
    return switch (task) {
      case CAPTION_TASK_UNSPECIFIED, CAPTION_TASK_CAPTION -> CaptionTaskKind.CAPTION;
      case CAPTION_TASK_DETAILED_CAPTION -> CaptionTaskKind.DETAILED_CAPTION;
      case CAPTION_TASK_MORE_DETAILED_CAPTION -> CaptionTaskKind.MORE_DETAILED_CAPTION;
      default -> throw new InvalidInputException("task", "unknown task " + task);
    };
  }

  /**
   * The model's defaults, then the preset (short = half, long = 3x the model's default length),
   * then explicit options.
   */
  public static DecodingOptions options(
      DecodingOptions defaults, LengthPreset preset, GenerationOptions options) {
    int base = defaults.maxNewTokens();
    int maxNew =
        switch (preset) {
          case LENGTH_PRESET_SHORT -> Math.max(4, base / 2);
          case LENGTH_PRESET_LONG -> base * 3;
          default -> base;
        };
    if (options.getMaxNewTokens() < 0 || options.getMaxNewTokens() > MAX_NEW_TOKENS) {
      throw new InvalidInputException(
          "options.max_new_tokens", "must be 0 (default) to " + MAX_NEW_TOKENS);
    }
    if (options.getNumBeams() < 0 || options.getNumBeams() > MAX_BEAMS) {
      throw new InvalidInputException("options.num_beams", "must be 0 (default) to " + MAX_BEAMS);
    }
    float penalty = options.getRepetitionPenalty();
    if (penalty < 0 || penalty > 10 || Float.isNaN(penalty)) {
      throw new InvalidInputException("options.repetition_penalty", "must be 0 (default) to 10");
    }
    if (options.getNoRepeatNgramSize() < 0 || options.getNoRepeatNgramSize() > 16) {
      throw new InvalidInputException("options.no_repeat_ngram_size", "must be 0 (off) to 16");
    }
    return new DecodingOptions(
        options.getMaxNewTokens() > 0 ? options.getMaxNewTokens() : maxNew,
        options.getNumBeams() > 0 ? options.getNumBeams() : defaults.numBeams(),
        penalty > 0 ? penalty : defaults.repetitionPenalty(),
        options.getNoRepeatNgramSize() > 0
            ? options.getNoRepeatNgramSize()
            : defaults.noRepeatNgramSize(),
        defaults.lengthPenalty(),
        defaults.stopTokens(),
        true);
  }
}
