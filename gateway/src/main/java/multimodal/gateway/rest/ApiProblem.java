package multimodal.gateway.rest;

import multimodal.gateway.RequestRefused;

/**
 * A client-facing error of the REST layer, and the HTTP rendering of the domain's {@link
 * RequestRefused}; {@link ProblemMapper} renders it.
 */
public class ApiProblem extends RuntimeException {
  private final int status;
  private final String slug;
  private final String title;

  public ApiProblem(int status, String slug, String title, String detail) {
    super(detail);
    this.status = status;
    this.slug = slug;
    this.title = title;
  }

  public static ApiProblem badRequest(String detail) {
    return new ApiProblem(400, "invalid-request", "Invalid request", detail);
  }

  /** The HTTP status, problem type and title for each reason the domain refuses a request. */
  public static ApiProblem of(RequestRefused refused) {
    String detail = refused.getMessage();
    return switch (refused.reason()) {
      case INVALID_REQUEST -> badRequest(detail);
      case MEDIA_NOT_FOUND -> new ApiProblem(404, "media-not-found", "Not Found", detail);
      case MEDIA_ID_TAKEN -> new ApiProblem(409, "media-id-taken", "Conflict", detail);
      case MEDIA_TOO_LARGE -> new ApiProblem(413, "media-too-large", "Media too large", detail);
      case UNSUPPORTED_IMAGE ->
          new ApiProblem(415, "unsupported-media-type", "Unsupported media type", detail);
    };
  }

  public int status() {
    return status;
  }

  public String type() {
    return Problem.TYPE_PREFIX + slug;
  }

  public String title() {
    return title;
  }
}
