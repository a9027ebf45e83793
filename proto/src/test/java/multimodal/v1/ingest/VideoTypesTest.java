package multimodal.v1.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class VideoTypesTest {
  @Test
  void videoTypesAreRecognisedWithAliasesAndParameters() {
    assertThat(VideoTypes.isVideo("video/mp4")).isTrue();
    assertThat(VideoTypes.isVideo("Video/WebM; codecs=vp9")).isTrue();
    assertThat(VideoTypes.isVideo("video/quicktime")).isTrue();
    assertThat(VideoTypes.isVideo("audio/wav")).isFalse();
    assertThat(VideoTypes.isVideo(null)).isFalse();

    assertThat(VideoTypes.canonical("video/x-m4v")).contains("video/mp4");
    assertThat(VideoTypes.canonical("video/webm; codecs=\"vp9\"")).contains("video/webm");
    assertThat(VideoTypes.canonical("video/quicktime")).isEmpty();
    assertThat(VideoTypes.canonical("image/png")).isEmpty();
  }

  @Test
  void stillImagesAreWhatIsNeitherAudioNorVideo() {
    assertThat(VideoTypes.isStillImage("image/jpeg")).isTrue();
    assertThat(VideoTypes.isStillImage("application/octet-stream")).isTrue();
    assertThat(VideoTypes.isStillImage("video/mp4")).isFalse();
    assertThat(VideoTypes.isStillImage("audio/ogg")).isFalse();
  }

  @Test
  void sniffsContainersByTheirSignatures() {
    assertThat(VideoTypes.sniff(ascii("\0\0\0\u0020ftypisom"))).contains("video/mp4");
    assertThat(
            VideoTypes.sniff(new byte[] {0x1a, 0x45, (byte) 0xdf, (byte) 0xa3, (byte) 0x9f, 0x42}))
        .contains("video/webm");
    assertThat(VideoTypes.sniff(ascii("PK\3\4\0\0\0\0"))).isEmpty();
    assertThat(VideoTypes.sniff(ascii("RIFF\0\0\0\0WAVE"))).isEmpty();
    assertThat(VideoTypes.sniff(new byte[0])).isEmpty();
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }
}
