package multimodal.retrieval;

import java.util.List;
import multimodal.v1.Embedding;
import multimodal.v1.ImageSource;

/**
 * Embeds texts and images (the EncoderService over gRPC in production, a fake in tests).
 *
 * <p>Throws {@link EncoderUnavailableException}, {@link InvalidRequestException} or {@link
 * ModelNotFoundException}.
 */
public interface QueryEncoder {
  /**
   * @param model model name, empty for the encoder's default
   */
  default Embedding encodeText(String text, String model) {
    return encodeTexts(List.of(text), model).get(0);
  }

  /** One embedding per text, in order. @param model model name, empty for the encoder's default */
  List<Embedding> encodeTexts(List<String> texts, String model);

  /**
   * @param model model name, empty for the encoder's default
   */
  Embedding encodeImage(ImageSource image, String model);
}
