package multimodal.gateway;

import jakarta.enterprise.context.ApplicationScoped;
import multimodal.v1.AskPart;
import multimodal.v1.AskRequest;
import multimodal.v1.ImageSource;
import multimodal.v1.Limits;

/**
 * Checks an {@code AskRequest} before the gateway forwards it, from REST or the public gRPC API:
 * the single-image form by {@link GeneratorRequests#ask}, an interleaved one ({@code parts}) here:
 * at most {@link Limits#ASK_MAX_PARTS} parts, 1..{@link Limits#ASK_MAX_IMAGES} images, a non-blank
 * text, each text and image by the rules every request meets; and each {@code media_id} part is
 * replaced by the stored image, looked up in the caller's tenant only ({@link ImageInputs}), so the
 * generator never sees a media id. The images together stay within {@link
 * Limits#ASK_MAX_TOTAL_IMAGE_BYTES}.
 */
@ApplicationScoped
public class AskQuestions {
  private final RequestRules rules;
  private final GeneratorRequests requests;
  private final ImageInputs images;

  AskQuestions(RequestRules rules, GeneratorRequests requests, ImageInputs images) {
    this.rules = rules;
    this.requests = requests;
    this.images = images;
  }

  /** The request to forward for {@code tenant}: checked, media ids resolved, texts stripped. */
  public AskRequest check(String tenant, AskRequest request) {
    if (request.getPartsCount() == 0) {
      return requests.ask(request);
    }
    checkShape(request);
    rules.maxNewTokens(request.getMaxNewTokens());
    rules.shortText("model", request.getModel());
    AskRequest.Builder checked = request.toBuilder().clearParts();
    long imageBytes = 0;
    for (int i = 0; i < request.getPartsCount(); i++) {
      AskPart part = request.getParts(i);
      String field = "parts[" + i + "]";
      AskPart.Builder out = AskPart.newBuilder();
      switch (part.getPartCase()) {
        case TEXT -> out.setText(rules.shortText(field + ".text", part.getText()));
        case IMAGE -> {
          rules.imageSource(part.getImage(), field);
          out.setImage(part.getImage());
        }
        case MEDIA_ID -> out.setImage(stored(tenant, part.getMediaId(), field + ".mediaId"));
        case PART_NOT_SET -> throw new IllegalStateException("checked by checkShape");
      }
      imageBytes += out.getImage().getData().size();
      checked.addParts(out);
    }
    if (imageBytes > Limits.ASK_MAX_TOTAL_IMAGE_BYTES) {
      throw RequestRefused.tooLargeTogether(imageBytes, Limits.ASK_MAX_TOTAL_IMAGE_BYTES)
          .at("parts");
    }
    return checked.build();
  }

  /** Counts and kinds of the parts, before any stored image is read. */
  private static void checkShape(AskRequest request) {
    if (request.hasImage() || !request.getQuestion().isEmpty()) {
      throw RequestRefused.invalid("give either 'image' and 'question' or 'parts', not both")
          .at("parts");
    }
    if (request.getPartsCount() > Limits.ASK_MAX_PARTS) {
      throw RequestRefused.invalid(
              "at most "
                  + Limits.ASK_MAX_PARTS
                  + " parts in one question, got "
                  + request.getPartsCount())
          .at("parts");
    }
    int imageParts = 0;
    boolean text = false;
    for (int i = 0; i < request.getPartsCount(); i++) {
      AskPart part = request.getParts(i);
      switch (part.getPartCase()) {
        case TEXT -> text |= !part.getText().isBlank();
        case IMAGE, MEDIA_ID -> imageParts++;
        case PART_NOT_SET ->
            throw RequestRefused.invalid("a part needs 'text', 'image' or 'mediaId'")
                .at("parts[" + i + "]");
      }
    }
    if (imageParts == 0) {
      throw RequestRefused.invalid("a question needs at least one image part").at("parts");
    }
    if (imageParts > Limits.ASK_MAX_IMAGES) {
      throw RequestRefused.invalid(
              "at most " + Limits.ASK_MAX_IMAGES + " images in one question, got " + imageParts)
          .at("parts");
    }
    if (!text) {
      throw RequestRefused.invalid("a question needs a text part that is not blank").at("parts");
    }
  }

  /** An item of the caller's tenant, as the generator takes it (its bytes, or its URL). */
  private ImageSource stored(String tenant, String mediaId, String field) {
    try {
      return images.source(tenant, new Item(mediaId));
    } catch (RequestRefused refused) {
      throw refused.at(field);
    }
  }

  private record Item(String mediaId) implements ImageInputs.ImageInput {
    @Override
    public String uri() {
      return null;
    }
  }
}
