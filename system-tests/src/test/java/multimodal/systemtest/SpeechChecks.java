package multimodal.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioSystem;
import multimodal.devkit.speech.SynthesisedSpeech;
import multimodal.devkit.speech.WordErrorRate;

/**
 * Speech on the real pipeline: a recording of two sentences that the test synthesises (Festival,
 * then FFmpeg to 16 kHz WAV) is uploaded over REST, transcribed by the generator (PocketSphinx's
 * US-English model), indexed by retrieval; a search for two content words of the second sentence
 * returns the recording with a segment inside the second sentence's time span; the same for the
 * sentences as the sound track of a video. The transcript's word error rate is printed and held to
 * at most 35 %.
 */
final class SpeechChecks {
  private static final List<String> SENTENCES =
      List.of("The weather is sunny and warm today.", "My daughter plays the piano every evening.");

  /** How far a recognised segment may reach past the sentence's audio (leading/trailing noise). */
  private static final long SLACK_MS = 1_000;

  private SpeechChecks() {}

  static void aSpokenSentenceIsFoundByTwoOfItsWordsWithItsTimeRange(
      PlatformClient client, Path folder) throws Exception {
    Path wav = SynthesisedSpeech.sentences(SENTENCES, folder, "spoken");
    checkRecording(client, folder, wav, "audio");
  }

  /**
   * The same two sentences as the sound track of an MP4 (one still picture, H.264 + AAC): the
   * generator transcribes the sound track, the encoder embeds the picture as the video's keyframe,
   * and the search for two spoken words finds the video with the sentence's time range.
   */
  static void aSentenceSpokenInAVideoIsFoundByTwoOfItsWords(
      PlatformClient client, Path still, Path folder) throws Exception {
    Path wav = SynthesisedSpeech.sentences(SENTENCES, folder, "narrated");
    checkRecording(client, folder, SynthesisedSpeech.video(wav, still, "mp4"), "video");
  }

  private static void checkRecording(PlatformClient client, Path folder, Path upload, String kind)
      throws Exception {
    String name = upload.getFileName().toString().replaceAll("\\.[a-z0-9]+$", "");
    long firstMs = durationMs(folder.resolve(name + "-0.wav"));
    long secondStartMs = firstMs + Math.round(SynthesisedSpeech.PAUSE_SECONDS * 1000);
    long secondEndMs = secondStartMs + durationMs(folder.resolve(name + "-1.wav"));

    var response = client.upload(upload);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    String mediaId = PlatformClient.JSON.readTree(response.body()).get("mediaId").asText();

    // Found by what it says: a video is found by its picture as soon as it is embedded, before its
    // sound track is transcribed, so wait for a hit that names words it speaks.
    JsonNode hit =
        await("the " + kind + " found by two words it speaks")
            .atMost(Duration.ofMinutes(3))
            .pollInterval(Duration.ofSeconds(1))
            .until(
                () -> hitOf(search(client, "daughter piano"), mediaId),
                h -> h != null && speaks(h, "piano"));
    JsonNode segments = hit.path("segments");
    assertThat(segments.size()).as("matched segments: %s", hit).isPositive();
    JsonNode best = segments.get(0);
    long start = best.path("startMs").asLong();
    long end = best.path("endMs").asLong();
    assertThat(best.path("text").asText().toLowerCase(java.util.Locale.ROOT)).contains("piano");
    assertThat(start)
        .as("segment %s within %d–%d ms", best, secondStartMs, secondEndMs)
        .isBetween(secondStartMs - SLACK_MS, secondEndMs);
    assertThat(end)
        .as("segment %s within %d–%d ms", best, secondStartMs, secondEndMs)
        .isBetween(start + 1, secondEndMs + SLACK_MS);

    // The whole transcript, as GET /v1/media/{id} shows it, against what was said.
    var status = client.get("/v1/media/" + mediaId);
    assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
    StringBuilder heard = new StringBuilder();
    for (JsonNode segment : PlatformClient.JSON.readTree(status.body()).path("transcript")) {
      heard.append(segment.path("text").asText()).append(' ');
    }
    String said = String.join(" ", SENTENCES);
    double wer =
        (double) WordErrorRate.errors(said, heard.toString()) / WordErrorRate.wordCount(said);
    System.out.printf(
        "speech in %s: word error rate %.1f %% (heard \"%s\")%n",
        kind, 100 * wer, heard.toString().strip());
    assertThat(wer).as("word error rate of \"%s\"", heard).isLessThanOrEqualTo(0.35);
  }

  /** Safe search off: no safety classifier scores audio, and a tenant may hide unscored items. */
  private static JsonNode search(PlatformClient client, String query) throws Exception {
    var response = client.get("/v1/search?safe=false&k=10&q=" + query.replace(' ', '+'));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return PlatformClient.JSON.readTree(response.body());
  }

  private static boolean speaks(JsonNode hit, String word) {
    for (JsonNode segment : hit.path("segments")) {
      if (segment.path("text").asText().toLowerCase(java.util.Locale.ROOT).contains(word)) {
        return true;
      }
    }
    return false;
  }

  private static JsonNode hitOf(JsonNode result, String mediaId) {
    for (JsonNode hit : result.path("hits")) {
      if (hit.path("mediaId").asText().equals(mediaId)) {
        return hit;
      }
    }
    return null;
  }

  private static long durationMs(Path wav) throws Exception {
    AudioFileFormat format = AudioSystem.getAudioFileFormat(wav.toFile());
    return Math.round(format.getFrameLength() / format.getFormat().getFrameRate() * 1000);
  }
}
