package multimodal.gateway.rest;

/** A client-facing error raised by the gateway itself; {@link ProblemMapper} renders it. */
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
