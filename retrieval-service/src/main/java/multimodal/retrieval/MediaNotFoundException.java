package multimodal.retrieval;

/** The media id is not in the index (for this tenant or model version). */
public class MediaNotFoundException extends RuntimeException {
  private final String mediaId;

  public MediaNotFoundException(String mediaId, String message) {
    super(message);
    this.mediaId = mediaId;
  }

  public String mediaId() {
    return mediaId;
  }
}
