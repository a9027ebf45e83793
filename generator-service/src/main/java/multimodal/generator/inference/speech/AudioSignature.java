package multimodal.generator.inference.speech;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import multimodal.v1.ingest.AudioTypes;
import multimodal.v1.ingest.VideoTypes;

/**
 * The first bytes of a file, checked against its declared audio or video type before FFmpeg sees
 * it, so that a ZIP archive or a picture named {@code .wav} is refused with what it is instead of a
 * demuxer's message.
 */
final class AudioSignature {
  private record Magic(String what, int offset, byte[] bytes) {
    boolean matches(byte[] data) {
      if (data.length < offset + bytes.length) {
        return false;
      }
      for (int i = 0; i < bytes.length; i++) {
        if (data[offset + i] != bytes[i]) {
          return false;
        }
      }
      return true;
    }
  }

  private static final List<Magic> OTHERS =
      List.of(
          magic("a ZIP archive", 0, "PK\u0003\u0004"),
          magic("a PNG image", 0, "\u0089PNG"),
          magic("a JPEG image", 0, "\u00ff\u00d8\u00ff"),
          magic("a GIF image", 0, "GIF8"),
          magic("a PDF document", 0, "%PDF"),
          magic("a WAV file", 8, "WAVE"),
          magic("an Ogg file", 0, "OggS"),
          magic("a FLAC file", 0, "fLaC"),
          magic("an MP3 file with an ID3 tag", 0, "ID3"),
          magic("an MP4/QuickTime file", 4, "ftyp"),
          magic("a WebM/Matroska file", 0, "\u001a\u0045\u00df\u00a3"));

  private AudioSignature() {}

  /**
   * @param type a canonical type of {@link AudioTypes} or {@link VideoTypes}
   * @return empty when the bytes start as that type does, else what they look like instead
   */
  static Optional<String> mismatch(String type, byte[] data) {
    Optional<String> sniffed =
        VideoTypes.isVideo(type) ? VideoTypes.sniff(data) : AudioTypes.sniff(data);
    return sniffed.filter(type::equals).isPresent()
        ? Optional.empty()
        : Optional.of(describe(data));
  }

  private static String describe(byte[] data) {
    if (data.length == 0) {
      return "it is empty";
    }
    for (Magic other : OTHERS) {
      if (other.matches(data)) {
        return "it is " + other.what();
      }
    }
    int n = Math.min(8, data.length);
    byte[] head = new byte[n];
    System.arraycopy(data, 0, head, 0, n);
    return "it starts with bytes " + HexFormat.ofDelimiter(" ").formatHex(head);
  }

  private static Magic magic(String what, int offset, String text) {
    return new Magic(what, offset, text.getBytes(StandardCharsets.ISO_8859_1));
  }
}
