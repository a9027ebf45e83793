package multimodal.generator.grpc;

import java.util.ArrayList;
import java.util.List;
import multimodal.generator.InvalidInputException;
import multimodal.v1.AskPart;
import multimodal.v1.AskRequest;
import multimodal.v1.ImageSource;
import multimodal.v1.Limits;

/**
 * The question of an {@code AskRequest} as ordered parts, checked before any image is fetched: the
 * single-image form ({@code image}, then {@code question}) or the interleaved {@code parts} (at
 * most {@link Limits#ASK_MAX_PARTS}, 1..{@link Limits#ASK_MAX_IMAGES} images, a non-blank text).
 * Media ids are the gateway's to resolve: this service refuses them.
 */
final class AskParts {
  /** A part before its image is read. */
  sealed interface Part {}

  record Text(String text) implements Part {}

  /**
   * @param field the name its errors carry ({@code image}, {@code parts[2]} or the client id)
   */
  record Image(ImageSource source, String field) implements Part {}

  private AskParts() {}

  static List<Part> of(AskRequest request) {
    if (request.getPartsCount() == 0) {
      if (request.getQuestion().isBlank()) {
        throw new InvalidInputException("question", "must not be empty");
      }
      return List.of(new Image(request.getImage(), "image"), new Text(request.getQuestion()));
    }
    if (request.hasImage() || !request.getQuestion().isEmpty()) {
      throw new InvalidInputException(
          "parts", "give either 'image' and 'question' or 'parts', not both");
    }
    if (request.getPartsCount() > Limits.ASK_MAX_PARTS) {
      throw new InvalidInputException(
          "parts",
          request.getPartsCount() + " parts, more than the limit of " + Limits.ASK_MAX_PARTS);
    }
    List<Part> parts = new ArrayList<>(request.getPartsCount());
    int images = 0;
    boolean text = false;
    for (int i = 0; i < request.getPartsCount(); i++) {
      AskPart part = request.getParts(i);
      String field = "parts[" + i + "]";
      switch (part.getPartCase()) {
        case TEXT -> {
          text |= !part.getText().isBlank();
          parts.add(new Text(part.getText()));
        }
        case IMAGE -> {
          images++;
          String clientId = part.getImage().getClientId();
          parts.add(new Image(part.getImage(), clientId.isEmpty() ? field : clientId));
        }
        case MEDIA_ID ->
            throw new InvalidInputException(
                field + ".media_id",
                "media ids are resolved by the gateway; send the image's data or uri");
        case PART_NOT_SET -> throw new InvalidInputException(field, "set text, image or media_id");
      }
    }
    if (images == 0) {
      throw new InvalidInputException("parts", "at least one image part is required");
    }
    if (images > Limits.ASK_MAX_IMAGES) {
      throw new InvalidInputException(
          "parts", images + " images, more than the limit of " + Limits.ASK_MAX_IMAGES);
    }
    if (!text) {
      throw new InvalidInputException("parts", "at least one non-blank text part is required");
    }
    return parts;
  }
}
