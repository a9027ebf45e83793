package multimodal.generator.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import multimodal.devkit.kafka.KafkaBrokerTestResource;
import multimodal.devkit.speech.SynthesisedSpeech;
import multimodal.devkit.speech.WordErrorRate;
import multimodal.generator.BlobServerResource;
import multimodal.generator.CaptionFixtureResource;
import multimodal.media.video.TestVideos;
import multimodal.v1.Limits;
import multimodal.v1.MediaCaptionEvent;
import multimodal.v1.MediaTranscriptEvent;
import multimodal.v1.Topics;
import multimodal.v1.TranscriptSegment;
import multimodal.v1.TranscriptWord;
import multimodal.v1.ingest.IngestEvent;
import multimodal.v1.ingest.IngestEventCodec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator-speech group against a real broker: synthesised speech in, a transcript with time
 * ranges out on media.transcript.v1; bad audio dead-lettered to media.ingest.v1.speech.dlq with the
 * reason while the consumer goes on; the caption consumer skips audio instead of dead-lettering it
 * (and captions videos' pictures, dead-lettering a video that does not decode).
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerTestResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = CaptionFixtureResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = BlobServerResource.class, restrictToAnnotatedClass = true)
class SpeechConsumerKafkaTest {
  private static final Path STILL = Path.of("../testdata/images/coffee.png");
  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final List<String> SENTENCES =
      List.of("The weather is sunny and warm today.", "My daughter plays the piano every evening.");
  private final IngestEventCodec codec = new IngestEventCodec();

  @TempDir Path dir;

  @Test
  void transcribesAudioWithTimeRangesAndTheCaptionConsumerSkipsIt() throws Exception {
    byte[] wav = Files.readAllBytes(SynthesisedSpeech.sentences(SENTENCES, dir, "talk"));
    IngestEvent audio = event("talk-1", "audio/wav", wav);
    // Behind the audio on the same key: an image that does not decode, the only caption dead
    // letter.
    IngestEvent poisonImage =
        event("talk-1", "image/png", "no image".getBytes(StandardCharsets.UTF_8));
    TestKafka.sendIngest("talk-1", codec.encodeStructured(audio));
    TestKafka.sendIngest("talk-1", codec.encodeStructured(poisonImage));

    MediaTranscriptEvent out =
        MediaTranscriptEvent.parseFrom(
            awaitRecords(Topics.MEDIA_TRANSCRIPT, "talk-1"::equals, 1).get(0).value());

    assertThat(out.getMediaId()).isEqualTo("talk-1");
    assertThat(out.getTenant()).isEqualTo("acme");
    assertThat(out.getSourceEventId()).isEqualTo(audio.eventId());
    assertThat(out.getContentType()).isEqualTo("audio/wav");
    assertThat(out.getRecognizer().getName()).isEqualTo("pocketsphinx-en-us");
    assertThat(out.getRecognizer().getFixture()).isFalse();
    assertThat(out.getLanguage()).isEqualTo("en-US");
    assertThat(out.getDecodeMicros()).isPositive();
    assertThat(out.getRecognizeMicros()).isPositive();
    assertThat(out.getSegmentsList()).hasSize(2);
    String heard =
        String.join(" ", out.getSegmentsList().stream().map(TranscriptSegment::getText).toList());
    String reference = String.join(" ", SENTENCES);
    double wer =
        (double) WordErrorRate.errors(reference, heard) / WordErrorRate.wordCount(reference);
    System.out.printf("transcript event WER %.1f %%: %s%n", 100 * wer, heard);
    assertThat(wer).isLessThanOrEqualTo(0.35);
    TranscriptSegment second = out.getSegments(1);
    assertThat(second.getText()).contains("piano");
    assertThat(second.getTime().getStartMs())
        .isGreaterThan(out.getSegments(0).getTime().getEndMs());
    assertThat(second.getTime().getEndMs()).isLessThanOrEqualTo(out.getDurationMs());
    TranscriptWord piano =
        second.getWordsList().stream()
            .filter(w -> w.getText().equals("piano"))
            .findFirst()
            .orElseThrow();
    assertThat(piano.getTime().getStartMs())
        .isBetween(second.getTime().getStartMs(), second.getTime().getEndMs());

    List<ConsumerRecord<String, byte[]>> captionDead =
        awaitRecords("media.ingest.v1.generator.dlq", "talk-1"::equals, 1);
    assertThat(captionDead.get(0).value()).isEqualTo(codec.encodeStructured(poisonImage));
  }

  @Test
  void deadLettersBadAudioWithTheReasonAndKeepsGoing() throws Exception {
    byte[] wav = Files.readAllBytes(SynthesisedSpeech.sentence(SENTENCES.get(1), dir, "piano"));
    ByteArrayOutputStream zip = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(zip)) {
      out.putNextEntry(new ZipEntry("talk.wav"));
      out.write(wav);
    }
    byte[] tenHours = java.util.Arrays.copyOf(wav, 44 + 32_000);
    // The WAV header's data size (offset 40): ten hours of 16 kHz mono 16-bit samples.
    java.nio.ByteBuffer.wrap(tenHours)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN)
        .putInt(40, 36_000 * 32_000);
    byte[] truncated = java.util.Arrays.copyOf(wav, wav.length / 2);
    byte[] flac = Files.readAllBytes(SynthesisedSpeech.encode(dir.resolve("piano.wav"), "flac"));

    for (IngestEvent bad :
        List.of(
            event("bad-audio", "audio/wav", zip.toByteArray()),
            event("bad-audio", "audio/x-wav", tenHours),
            event("bad-audio", "audio/wav", truncated),
            event("bad-audio", "audio/aac", wav))) {
      TestKafka.sendIngest("bad-audio", codec.encodeStructured(bad));
    }
    IngestEvent good = event("bad-audio", "audio/flac", flac);
    TestKafka.sendIngest("bad-audio", codec.encodeStructured(good));

    List<ConsumerRecord<String, byte[]>> dead =
        awaitRecords(Topics.MEDIA_INGEST_SPEECH_DLQ, "bad-audio"::equals, 4);
    assertThat(reason(dead.get(0)))
        .isEqualTo("data.bytes: not audio/wav audio: it is a ZIP archive");
    assertThat(reason(dead.get(1)))
        .startsWith("data.bytes: the file declares 36000.0 s of audio, over the limit of");
    assertThat(reason(dead.get(2))).startsWith("data.bytes: the audio is truncated");
    assertThat(reason(dead.get(3)))
        .startsWith("data.contentType: audio type audio/aac is not transcribed");
    assertThat(TestKafka.header(dead.get(0), "dead-letter-topic")).isEqualTo(Topics.MEDIA_INGEST);

    MediaTranscriptEvent out =
        MediaTranscriptEvent.parseFrom(
            awaitRecords(Topics.MEDIA_TRANSCRIPT, "bad-audio"::equals, 1).get(0).value());
    assertThat(out.getSourceEventId()).isEqualTo(good.eventId());
    assertThat(out.getSegments(0).getText()).contains("piano");
  }

  @Test
  void transcribesTheSoundTrackOfVideosWhileTheCaptionConsumerCaptionsTheirPictures()
      throws Exception {
    Path wav = SynthesisedSpeech.sentences(SENTENCES, dir, "film");
    byte[] mp4 = Files.readAllBytes(SynthesisedSpeech.video(wav, STILL, "mp4"));
    byte[] silent =
        Files.readAllBytes(SynthesisedSpeech.silentVideo(STILL, 2.0, dir, "silent", "mp4"));
    byte[] truncated = java.util.Arrays.copyOf(mp4, mp4.length / 2);
    IngestEvent film = event("film-1", "video/mp4", mp4);
    IngestEvent mute = event("film-1", "video/mp4", silent);
    IngestEvent broken = event("film-1", "video/mp4", truncated);
    // Behind the videos on the same key: an image that does not decode. The caption group
    // dead-letters the truncated video too, with the keyframe decoder's reason.
    IngestEvent poisonImage =
        event("film-1", "image/png", "no image".getBytes(StandardCharsets.UTF_8));
    for (IngestEvent each : List.of(film, mute, broken, poisonImage)) {
      TestKafka.sendIngest("film-1", codec.encodeStructured(each));
    }

    List<ConsumerRecord<String, byte[]>> published =
        awaitRecords(Topics.MEDIA_TRANSCRIPT, "film-1"::equals, 2);
    MediaTranscriptEvent spoken = MediaTranscriptEvent.parseFrom(published.get(0).value());
    assertThat(spoken.getSourceEventId()).isEqualTo(film.eventId());
    assertThat(spoken.getContentType()).isEqualTo("video/mp4");
    assertThat(spoken.getSegmentsList()).hasSize(2);
    String heard =
        String.join(
            " ", spoken.getSegmentsList().stream().map(TranscriptSegment::getText).toList());
    String reference = String.join(" ", SENTENCES);
    double wer =
        (double) WordErrorRate.errors(reference, heard) / WordErrorRate.wordCount(reference);
    System.out.printf("video sound track WER %.1f %%: %s%n", 100 * wer, heard);
    assertThat(wer).isLessThanOrEqualTo(0.35);
    List<TranscriptWord> words =
        spoken.getSegmentsList().stream().flatMap(s -> s.getWordsList().stream()).toList();
    assertThat(words).isNotEmpty();
    for (int i = 1; i < words.size(); i++) {
      assertThat(words.get(i).getTime().getStartMs())
          .isGreaterThanOrEqualTo(words.get(i - 1).getTime().getStartMs());
    }
    assertThat(words.get(words.size() - 1).getTime().getEndMs())
        .isLessThanOrEqualTo(spoken.getDurationMs());

    MediaTranscriptEvent nothing = MediaTranscriptEvent.parseFrom(published.get(1).value());
    assertThat(nothing.getSourceEventId()).isEqualTo(mute.eventId());
    assertThat(nothing.getSegmentsList()).isEmpty();
    assertThat(nothing.getDurationMs()).isZero();

    List<ConsumerRecord<String, byte[]>> dead =
        awaitRecords(Topics.MEDIA_INGEST_SPEECH_DLQ, "film-1"::equals, 1);
    assertThat(dead.get(0).value()).isEqualTo(codec.encodeStructured(broken));
    assertThat(reason(dead.get(0)))
        .startsWith("data.bytes: video/mp4 video does not decode: ")
        .contains("moov atom not found");

    List<ConsumerRecord<String, byte[]>> captionDead =
        awaitRecords("media.ingest.v1.generator.dlq", "film-1"::equals, 2);
    // In either order: within a batch the image is refused before anything is captioned, the video
    // when its keyframes are cut.
    ConsumerRecord<String, byte[]> deadVideo =
        captionDead.stream()
            .filter(r -> java.util.Arrays.equals(r.value(), codec.encodeStructured(broken)))
            .findFirst()
            .orElseThrow();
    assertThat(reason(deadVideo))
        .isEqualTo("data.bytes: video/mp4 does not decode: moov atom not found");
    assertThat(captionDead)
        .anySatisfy(r -> assertThat(r.value()).isEqualTo(codec.encodeStructured(poisonImage)));
  }

  /**
   * A video over the image limit arrives by claim check: both groups fetch it to a scratch file
   * (under generator.speech.max-bytes and generator.video.max-bytes), the speech group transcribes
   * its sound track and the caption group captions its keyframes; a blob over those limits is
   * dead-lettered by both with the limit.
   */
  @Test
  void fetchesAVideoOverTheImageLimitToAFileForItsSoundAndPicturesAndRefusesOneOverTheLimit()
      throws Exception {
    Path wav = SynthesisedSpeech.sentences(SENTENCES, dir, "large");
    Path large =
        TestVideos.paddedMp4(
            Files.readAllBytes(SynthesisedSpeech.video(wav, STILL, "mp4")),
            Limits.IMAGE_MAX_BYTES + 2 * 1024 * 1024,
            dir.resolve("large.mp4"));
    IngestEvent film =
        TestKafka.uriEvent("large-1", "video/mp4", BlobServerResource.putFile("large-film", large));
    IngestEvent over =
        TestKafka.uriEvent(
            "large-2",
            "video/mp4",
            BlobServerResource.putDeclaring("over-film", Limits.AUDIO_VIDEO_MAX_BYTES + 1));
    TestKafka.sendIngest("large-1", codec.encodeStructured(film));
    TestKafka.sendIngest("large-2", codec.encodeStructured(over));

    MediaTranscriptEvent spoken =
        MediaTranscriptEvent.parseFrom(
            awaitRecords(Topics.MEDIA_TRANSCRIPT, "large-1"::equals, 1).get(0).value());
    assertThat(spoken.getSourceEventId()).isEqualTo(film.eventId());
    assertThat(spoken.getFetchMicros()).isPositive();
    String heard =
        String.join(
            " ", spoken.getSegmentsList().stream().map(TranscriptSegment::getText).toList());
    assertThat(heard).contains("piano");
    MediaCaptionEvent pictures =
        MediaCaptionEvent.parseFrom(
            awaitRecords(Topics.MEDIA_CAPTION, "large-1"::equals, 1).get(0).value());
    assertThat(pictures.getSourceEventId()).isEqualTo(film.eventId());
    assertThat(pictures.getSegmentsList()).isNotEmpty();

    String limit =
        "data.uri: media is "
            + (Limits.AUDIO_VIDEO_MAX_BYTES + 1)
            + " bytes or more, over the limit of "
            + Limits.AUDIO_VIDEO_MAX_BYTES;
    assertThat(reason(awaitRecords(Topics.MEDIA_INGEST_SPEECH_DLQ, "large-2"::equals, 1).get(0)))
        .isEqualTo(limit);
    assertThat(reason(awaitRecords(Topics.MEDIA_INGEST_GENERATOR_DLQ, "large-2"::equals, 1).get(0)))
        .isEqualTo(limit);
  }

  private static IngestEvent event(String mediaId, String contentType, byte[] bytes) {
    return TestKafka.inlineEvent(mediaId, contentType, bytes);
  }

  private static String reason(ConsumerRecord<String, byte[]> record) {
    return TestKafka.header(record, "dead-letter-reason");
  }

  private static List<ConsumerRecord<String, byte[]>> awaitRecords(
      String topic, Predicate<String> key, int count) {
    return TestKafka.awaitRecords(topic, key, count, TIMEOUT);
  }
}
