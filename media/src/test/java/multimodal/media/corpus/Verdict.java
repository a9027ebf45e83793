package multimodal.media.corpus;

/**
 * What a service made of an image: accepted at a size (upright, after EXIF orientation), or refused
 * with a reason.
 *
 * @param width the upright width, or {@link #UNMEASURED} where the service's output does not show
 *     it
 * @param reason the refusal reason; in an expected verdict, the whole text or its fixed beginning
 */
public record Verdict(boolean accepted, int width, int height, String reason) {
  public static final int UNMEASURED = -1;

  public static Verdict accepted(int width, int height) {
    return new Verdict(true, width, height, null);
  }

  /** Accepted by a service whose output (e.g. a fixed-size model input) hides the image's size. */
  public static Verdict acceptedUnmeasured() {
    return new Verdict(true, UNMEASURED, UNMEASURED, null);
  }

  public static Verdict refused(String reason) {
    return new Verdict(false, 0, 0, reason);
  }

  /**
   * Throws an AssertionError naming the image unless {@code actual} is this (expected) verdict:
   * same acceptance, the same size where the service shows it, a reason that starts with the
   * expected one.
   */
  public void assertMatches(String image, Verdict actual) {
    boolean same =
        accepted == actual.accepted
            && (accepted
                ? actual.width == UNMEASURED || (width == actual.width && height == actual.height)
                : actual.reason != null && actual.reason.startsWith(reason));
    if (!same) {
      throw new AssertionError(image + ": expected " + this + " but the service gave " + actual);
    }
  }

  @Override
  public String toString() {
    if (!accepted) {
      return "refused (" + reason + ")";
    }
    return width == UNMEASURED ? "accepted" : "accepted " + width + "x" + height;
  }
}
