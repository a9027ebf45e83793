package multimodal.media;

/**
 * Bounds on one input image, checked before decoding the pixels.
 *
 * @param maxBytes largest encoded image accepted
 * @param maxPixels largest width × height accepted; guards against decompression bombs (a few
 *     kilobytes of PNG that declare gigapixels)
 */
public record ImageLimits(long maxBytes, long maxPixels) {}
