package multimodal.v1.ingest;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which media.ingest.v1 content types are audio, and which of them the platform transcribes. The
 * event's {@code contentType} decides: an {@code audio/*} item goes to speech recognition
 * (generator-service, group generator-speech) and is skipped by the image consumers (the encoder,
 * captioning, vision) instead of being dead-lettered as an undecodable image. One place, so every
 * service routes the same items the same way.
 */
public final class AudioTypes {
  /** The audio types the platform transcribes, by their canonical names. */
  public static final List<String> SUPPORTED =
      List.of("audio/wav", "audio/mpeg", "audio/ogg", "audio/flac");

  /** Other names in use for the same formats (browsers, file tools, older registrations). */
  private static final Map<String, String> ALIASES =
      Map.of(
          "audio/x-wav", "audio/wav",
          "audio/wave", "audio/wav",
          "audio/vnd.wave", "audio/wav",
          "audio/mp3", "audio/mpeg",
          "audio/opus", "audio/ogg",
          "audio/vorbis", "audio/ogg",
          "audio/x-flac", "audio/flac");

  private AudioTypes() {}

  /**
   * True for any {@code audio/*} type, supported or not: such an item is never an image, so only
   * the speech consumer handles it (and dead-letters the unsupported ones with the reason).
   */
  public static boolean isAudio(String contentType) {
    return mediaType(contentType).startsWith("audio/");
  }

  /**
   * The canonical name of a supported audio type ({@code audio/x-wav} → {@code audio/wav}), or
   * empty when the type is not one the platform transcribes. Parameters ({@code ;codecs=opus}) are
   * ignored.
   */
  public static Optional<String> canonical(String contentType) {
    String type = mediaType(contentType);
    if (SUPPORTED.contains(type)) {
      return Optional.of(type);
    }
    return Optional.ofNullable(ALIASES.get(type));
  }

  /**
   * The supported audio type whose signature starts {@code bytes}: {@code RIFF….WAVE}, {@code
   * OggS}, {@code fLaC}, or an MP3 (an ID3v2 tag, or an MPEG audio frame's 11 sync bits); empty for
   * anything else. For routers that must judge a file by its content (the gateway's uploads); the
   * decoder still checks that the whole file decodes.
   */
  public static Optional<String> sniff(byte[] bytes) {
    if (startsWith(bytes, 0, "RIFF") && startsWith(bytes, 8, "WAVE")) {
      return Optional.of("audio/wav");
    }
    if (startsWith(bytes, 0, "OggS")) {
      return Optional.of("audio/ogg");
    }
    if (startsWith(bytes, 0, "fLaC")) {
      return Optional.of("audio/flac");
    }
    if (startsWith(bytes, 0, "ID3")
        || (bytes.length >= 2 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xe0) == 0xe0)) {
      return Optional.of("audio/mpeg");
    }
    return Optional.empty();
  }

  private static boolean startsWith(byte[] bytes, int offset, String ascii) {
    if (bytes.length < offset + ascii.length()) {
      return false;
    }
    for (int i = 0; i < ascii.length(); i++) {
      if (bytes[offset + i] != (byte) ascii.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    return contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
  }
}
