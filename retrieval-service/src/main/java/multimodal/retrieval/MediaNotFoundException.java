package multimodal.retrieval;

/** The media id is not in the index (for this tenant or model version). */
public class MediaNotFoundException extends RuntimeException {
  private final String mediaId;

  public MediaNotFoundException(String mediaId, String message) {
    super(message);
    this.mediaId = mediaId;
  }

  /** The item is not in the tenant, or has no vector of the model version. */
  public static MediaNotFoundException noEmbedding(
      String mediaId, ModelVersion model, String tenant) {
    return new MediaNotFoundException(
        mediaId, "media %s has no %s embedding in tenant %s".formatted(mediaId, model, tenant));
  }

  public String mediaId() {
    return mediaId;
  }
}
