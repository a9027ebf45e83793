package multimodal.gateway;

/**
 * Why the gateway refused a request, said without any protocol: the domain throws it, and the REST
 * layer ({@code rest/ProblemMapper}) and the gRPC layer ({@code grpc/GrpcErrors}) each render it in
 * their own terms. A switch over {@link Reason} there fails to compile when a reason is added.
 */
public final class RequestRefused extends RuntimeException {
  public enum Reason {
    /** The input breaks a rule: a missing field, a malformed id or URL, too many tags. */
    INVALID_REQUEST,
    /** No such item in the caller's tenant (another tenant's item reads the same, by design). */
    MEDIA_NOT_FOUND,
    /** The media id the caller chose already names another item. */
    MEDIA_ID_TAKEN,
    /** The image is over the configured size limit. */
    MEDIA_TOO_LARGE,
    /** The bytes are not an image format the platform decodes. */
    UNSUPPORTED_IMAGE
  }

  private final Reason reason;
  private final String field;

  private RequestRefused(Reason reason, String detail) {
    this(reason, detail, null);
  }

  private RequestRefused(Reason reason, String detail, String field) {
    super(detail);
    this.reason = reason;
    this.field = field;
  }

  /**
   * The same refusal, naming the request field it is about (e.g. {@code images[1].uri}); gRPC puts
   * it into its BadRequest. The message stays as it is, so both front doors say the same words.
   */
  public RequestRefused at(String field) {
    return new RequestRefused(reason, getMessage(), field);
  }

  public static RequestRefused invalid(String detail) {
    return new RequestRefused(Reason.INVALID_REQUEST, detail);
  }

  public static RequestRefused notFound(String tenant, String mediaId) {
    return new RequestRefused(
        Reason.MEDIA_NOT_FOUND, "no media '" + mediaId + "' in tenant '" + tenant + "'");
  }

  public static RequestRefused idTaken(String mediaId) {
    return new RequestRefused(
        Reason.MEDIA_ID_TAKEN, "media id '" + mediaId + "' is in use; choose another mediaId");
  }

  public static RequestRefused tooLarge(long size, long max) {
    return new RequestRefused(
        Reason.MEDIA_TOO_LARGE, "the image has " + size + " bytes; the limit is " + max);
  }

  /**
   * An audio or video file over its limit; {@code rule} says which limit and where a larger file
   * may go.
   */
  public static RequestRefused tooLargeMedia(String mediaType, long size, long max, String rule) {
    return new RequestRefused(
        Reason.MEDIA_TOO_LARGE,
        "the " + mediaType + " file has " + size + " bytes; the limit is " + max + " " + rule);
  }

  /** Several images of one request that are too large together. */
  public static RequestRefused tooLargeTogether(long size, long max) {
    return new RequestRefused(
        Reason.MEDIA_TOO_LARGE, "the images have " + size + " bytes together; the limit is " + max);
  }

  /** Judged by the bytes, never by a file name or a declared type. */
  public static RequestRefused unsupportedImage() {
    return new RequestRefused(
        Reason.UNSUPPORTED_IMAGE,
        "the file is not a JPEG, PNG, GIF, BMP, WebP or TIFF image (judged by its content)");
  }

  /** An upload that is neither an image nor audio the platform takes. */
  public static RequestRefused unsupportedMedia() {
    return new RequestRefused(
        Reason.UNSUPPORTED_IMAGE,
        "the file is not a JPEG, PNG, GIF, BMP, WebP or TIFF image, nor WAV, MP3, Ogg or FLAC"
            + " audio, nor MP4 or WebM video (judged by its content)");
  }

  public Reason reason() {
    return reason;
  }

  /** The request field at fault, or null when the refusal is about the request as a whole. */
  public String field() {
    return field;
  }
}
