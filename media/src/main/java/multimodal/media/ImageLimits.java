package multimodal.media;

import multimodal.v1.Limits;

/**
 * Bounds on one input image, checked before decoding the pixels.
 *
 * @param maxBytes largest encoded image accepted
 * @param maxPixels largest width × height accepted; guards against decompression bombs (a few
 *     kilobytes of PNG that declare gigapixels)
 */
public record ImageLimits(long maxBytes, long maxPixels) {
  /** The platform's limits ({@link Limits}), which every service's settings default to. */
  public static final ImageLimits PLATFORM =
      new ImageLimits(Limits.IMAGE_MAX_BYTES, Limits.IMAGE_MAX_PIXELS);
}
