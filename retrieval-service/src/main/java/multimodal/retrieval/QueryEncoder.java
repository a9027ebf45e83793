package multimodal.retrieval;

import multimodal.v1.Embedding;
import multimodal.v1.ImageSource;

/**
 * Embeds query texts and images (the EncoderService over gRPC in production, a fake in tests).
 *
 * <p>Throws {@link EncoderUnavailableException}, {@link InvalidRequestException} or {@link
 * ModelNotFoundException}.
 */
public interface QueryEncoder {
  /** @param model model name, empty for the encoder's default */
  Embedding encodeText(String text, String model);

  /** @param model model name, empty for the encoder's default */
  Embedding encodeImage(ImageSource image, String model);
}
