package multimodal.v1.ingest;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which media.ingest.v1 content types are video, and which of them the platform decodes. Like
 * {@link AudioTypes}, the event's {@code contentType} decides: a {@code video/*} item is never a
 * still image, so no image consumer dead-letters it as undecodable. One place, so every service
 * routes the same items the same way.
 */
public final class VideoTypes {
  /** The video containers the platform decodes, by their canonical names. */
  public static final List<String> SUPPORTED = List.of("video/mp4", "video/webm");

  /** Other names in use for the same containers. */
  private static final Map<String, String> ALIASES =
      Map.of("video/x-m4v", "video/mp4", "video/mpeg4", "video/mp4", "video/x-webm", "video/webm");

  private VideoTypes() {}

  /** True for any {@code video/*} type, supported or not. */
  public static boolean isVideo(String contentType) {
    return mediaType(contentType).startsWith("video/");
  }

  /**
   * The canonical name of a supported video type ({@code video/x-m4v} → {@code video/mp4}), or
   * empty when the platform does not decode it. Parameters ({@code ;codecs=vp9}) are ignored.
   */
  public static Optional<String> canonical(String contentType) {
    String type = mediaType(contentType);
    if (SUPPORTED.contains(type)) {
      return Optional.of(type);
    }
    return Optional.ofNullable(ALIASES.get(type));
  }

  /**
   * The supported video type whose signature starts {@code bytes}: an ISO base media file ({@code
   * ftyp} box at offset 4) is {@code video/mp4}, an EBML header ({@code 1A 45 DF A3}) is {@code
   * video/webm}; empty for anything else. A signature only routes the item: the decoder still
   * checks that the streams decode (an EBML file may be Matroska with codecs the platform refuses).
   */
  public static Optional<String> sniff(byte[] bytes) {
    if (bytes.length >= 8
        && bytes[4] == 'f'
        && bytes[5] == 't'
        && bytes[6] == 'y'
        && bytes[7] == 'p') {
      return Optional.of("video/mp4");
    }
    if (bytes.length >= 4
        && (bytes[0] & 0xff) == 0x1a
        && (bytes[1] & 0xff) == 0x45
        && (bytes[2] & 0xff) == 0xdf
        && (bytes[3] & 0xff) == 0xa3) {
      return Optional.of("video/webm");
    }
    return Optional.empty();
  }

  /** True when an item of this type is a still image, neither audio nor video. */
  public static boolean isStillImage(String contentType) {
    return !isVideo(contentType) && !AudioTypes.isAudio(contentType);
  }

  private static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    return contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
  }
}
