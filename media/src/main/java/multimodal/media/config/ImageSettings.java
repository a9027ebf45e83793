package multimodal.media.config;

import io.smallrye.config.WithDefault;
import multimodal.media.ImageDecoder;
import multimodal.media.ImageDecoder.Codecs;
import multimodal.media.ImageDecoder.TruncatedImages;
import multimodal.media.ImageLimits;
import multimodal.v1.Limits;

/**
 * The image settings of every service that decodes ({@code <prefix>.images.*}): a service's config
 * group extends this, so the keys, their defaults (the platform's {@link Limits}) and their meaning
 * are the same everywhere.
 */
public interface ImageSettings {
  /** Largest encoded image accepted, inline, uploaded or fetched. */
  @WithDefault(Limits.IMAGE_MAX_BYTES_TEXT)
  long maxBytes();

  /**
   * Largest width x height accepted, read from the header before decoding (decompression bombs).
   */
  @WithDefault(Limits.IMAGE_MAX_PIXELS_TEXT)
  long maxPixels();

  /**
   * Use a truncated image (its missing part filled with grey) instead of refusing it; off by
   * default, as in Pillow.
   */
  @WithDefault("false")
  boolean allowTruncated();

  /**
   * Decode JPEG and WebP with libjpeg-turbo and libwebp (Pillow's libraries: its pixels, faster)
   * where they are installed, and the common PNGs directly; false keeps to the ImageIO readers.
   */
  @WithDefault("true")
  boolean fastCodecs();

  /** The decoder these settings describe. */
  static ImageDecoder decoder(ImageSettings settings) {
    return new ImageDecoder(
        new ImageLimits(settings.maxBytes(), settings.maxPixels()),
        settings.allowTruncated() ? TruncatedImages.ACCEPT : TruncatedImages.REFUSE,
        settings.fastCodecs() ? Codecs.FAST : Codecs.IMAGEIO);
  }
}
