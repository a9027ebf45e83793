package multimodal.v1.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import multimodal.v1.MediaTranscriptEvent;
import multimodal.v1.SearchHit;
import multimodal.v1.TimeRange;
import multimodal.v1.TimedText;
import multimodal.v1.TranscriptSegment;
import multimodal.v1.TranscriptWord;
import org.junit.jupiter.api.Test;

/** The audio additions to the v1 contracts, and that what v1 producers wrote before still reads. */
class AudioContractTest {
  private final IngestEventCodec codec = new IngestEventCodec();

  @Test
  void audioTypesAreRecognisedWithAliasesAndParameters() {
    assertThat(AudioTypes.isAudio("audio/wav")).isTrue();
    assertThat(AudioTypes.isAudio("Audio/Ogg; codecs=opus")).isTrue();
    assertThat(AudioTypes.isAudio("audio/aac")).isTrue();
    assertThat(AudioTypes.isAudio("image/png")).isFalse();
    assertThat(AudioTypes.isAudio(null)).isFalse();
    assertThat(AudioTypes.isAudio("video/mp4")).isFalse();

    assertThat(AudioTypes.canonical("audio/x-wav")).contains("audio/wav");
    assertThat(AudioTypes.canonical("audio/mp3")).contains("audio/mpeg");
    assertThat(AudioTypes.canonical("audio/ogg; codecs=opus")).contains("audio/ogg");
    assertThat(AudioTypes.canonical("audio/x-flac")).contains("audio/flac");
    assertThat(AudioTypes.canonical("audio/aac")).isEmpty();
    assertThat(AudioTypes.canonical("image/png")).isEmpty();
  }

  @Test
  void sniffsTheSupportedTypesByTheirSignatures() {
    assertThat(AudioTypes.sniff(ascii("RIFF\0\0\0\0WAVEfmt "))).contains("audio/wav");
    assertThat(AudioTypes.sniff(ascii("RIFF\0\0\0\0WEBPVP8 "))).isEmpty();
    assertThat(AudioTypes.sniff(ascii("OggS\0\2"))).contains("audio/ogg");
    assertThat(AudioTypes.sniff(ascii("fLaC\0\0\0\""))).contains("audio/flac");
    assertThat(AudioTypes.sniff(ascii("ID3\4\0"))).contains("audio/mpeg");
    assertThat(AudioTypes.sniff(new byte[] {(byte) 0xff, (byte) 0xfb, (byte) 0x90}))
        .contains("audio/mpeg");
    assertThat(AudioTypes.sniff(ascii("PK\3\4"))).isEmpty();
    assertThat(AudioTypes.sniff(new byte[0])).isEmpty();
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** An image event exactly as a v1 producer wrote it before audio existed still decodes alike. */
  @Test
  void oldImageEventStillDecodesUnchanged() {
    String old =
        """
        {"specversion":"1.0","id":"e-old","source":"/kcat","type":"dev.multimodal.media.ingest.v1",
         "datacontenttype":"application/json",
         "data":{"mediaId":"photo-1","contentType":"image/png","bytes":"AQID","tags":["beach"]}}\
        """;
    IngestEvent event = codec.decode("photo-1", old.getBytes(StandardCharsets.UTF_8), Map.of());

    assertThat(event.contentType()).isEqualTo("image/png");
    assertThat(AudioTypes.isAudio(event.contentType())).isFalse();
    assertThat(event.data()).containsExactly(1, 2, 3);
    assertThat(event.tags()).containsExactly("beach");
    assertThat(event.tenant()).isEqualTo(IngestEvent.DEFAULT_TENANT);
  }

  @Test
  void audioEventKeepsItsContentType() {
    String audio =
        """
        {"specversion":"1.0","id":"e-a","source":"/kcat","type":"dev.multimodal.media.ingest.v1",
         "data":{"mediaId":"talk-1","contentType":"audio/ogg; codecs=opus",
                 "uri":"https://example.org/talk.ogg"}}\
        """;
    IngestEvent event = codec.decode("talk-1", audio.getBytes(StandardCharsets.UTF_8), Map.of());

    assertThat(event.contentType()).isEqualTo("audio/ogg; codecs=opus");
    assertThat(AudioTypes.isAudio(event.contentType())).isTrue();
  }

  /** Producers read the schema: its examples must name the audio types the platform transcribes. */
  @Test
  void schemaNamesTheSupportedAudioTypes() throws Exception {
    JsonNode schema;
    try (InputStream in = getClass().getResourceAsStream("/schemas/media.ingest.v1.schema.json")) {
      schema = new ObjectMapper().readTree(in);
    }
    List<String> examples = new ArrayList<>();
    schema
        .at("/$defs/data/properties/contentType/examples")
        .forEach(node -> examples.add(node.asText()));
    assertThat(examples).containsAll(AudioTypes.SUPPORTED);
    assertThat(schema.at("/$defs/data/required").toString()).isEqualTo("[\"mediaId\"]");
  }

  /** A search hit written by a v1 retrieval before segments existed reads with no segments. */
  @Test
  void searchHitWithoutSegmentsStillReadsAndNewOneRoundTrips() throws Exception {
    SearchHit old = SearchHit.newBuilder().setMediaId("m-1").setScore(0.5f).build();
    assertThat(SearchHit.parseFrom(old.toByteArray()).getSegmentsList()).isEmpty();

    SearchHit hit =
        old.toBuilder()
            .addSegments(
                TimedText.newBuilder()
                    .setTime(TimeRange.newBuilder().setStartMs(1200).setEndMs(3400))
                    .setText("the quick brown fox")
                    .setScore(1.5f))
            .build();
    assertThat(SearchHit.parseFrom(hit.toByteArray()).getSegments(0).getTime().getEndMs())
        .isEqualTo(3400);
  }

  @Test
  void transcriptEventRoundTrips() throws Exception {
    MediaTranscriptEvent event =
        MediaTranscriptEvent.newBuilder()
            .setMediaId("talk-1")
            .setTenant("acme")
            .setDurationMs(5000)
            .addSegments(
                TranscriptSegment.newBuilder()
                    .setTime(TimeRange.newBuilder().setStartMs(100).setEndMs(900))
                    .setText("hello world")
                    .addWords(
                        TranscriptWord.newBuilder()
                            .setText("hello")
                            .setTime(TimeRange.newBuilder().setStartMs(100).setEndMs(450))))
            .build();
    MediaTranscriptEvent read = MediaTranscriptEvent.parseFrom(event.toByteArray());
    assertThat(read.getSegments(0).getWords(0).getTime().getEndMs()).isEqualTo(450);
    assertThat(read.getSegments(0).getText()).isEqualTo("hello world");
  }
}
