package multimodal.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Video on the real pipeline: an MP4 that the test makes with FFmpeg from two shared photographs, a
 * plain red picture and a rendered word, three seconds each (scene changes at 3, 6 and 9 s), is
 * uploaded over REST; the encoder embeds its keyframes (CLIP), the generator captions and OCRs each
 * of them, retrieval indexes both; a text search for what the red scene shows returns the video
 * with its best keyframe covering 3–6 s, the item's status lists the four keyframes with their
 * captions and OCR text, and text searches for the red scene's caption and for the rendered word
 * return the video with a segment, carrying that text, covering that scene. The real detector tags
 * the horse of the third scene, so the video's status lists "horse" and the objects filter keeps
 * the video.
 */
final class VideoChecks {
  private static final long SCENE_MS = 3_000;

  /** Keyframe times may be off the cut by a frame (the video runs at 10 frames a second). */
  private static final long SLACK_MS = 200;

  /** Rendered large enough for Tesseract, with four letters for the generator's text check. */
  private static final String WORD = "OPEN";

  private VideoChecks() {}

  static void aSceneOfAVideoIsFoundByWhatItShowsWithItsTimeRange(
      PlatformClient client, Path images, Path folder) throws Exception {
    Path video = folder.resolve("scenes.mp4");
    makeVideo(images, word(folder.resolve("word.png")), video);

    var response = client.upload(video);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    String mediaId = PlatformClient.JSON.readTree(response.body()).get("mediaId").asText();

    // Keyframes the query vector matched have no text; caption and OCR matches carry theirs.
    JsonNode hit =
        await("the video found by what its red scene shows")
            .atMost(Duration.ofMinutes(3))
            .pollInterval(Duration.ofSeconds(1))
            .until(
                () -> hitOf(search(client, "something red"), mediaId),
                h -> h != null && !segments(h, false).isEmpty());
    assertThat(hit.path("contentType").asText()).isEqualTo("video/mp4");
    JsonNode best = segments(hit, false).get(0);
    assertThat(best.path("startMs").asLong())
        .as("best keyframe %s starts at the red scene's cut", best)
        .isBetween(SCENE_MS - SLACK_MS, SCENE_MS + SLACK_MS);
    assertThat(best.path("endMs").asLong())
        .as("best keyframe %s ends at the next cut", best)
        .isBetween(2 * SCENE_MS - SLACK_MS, 2 * SCENE_MS + SLACK_MS);

    JsonNode status =
        await("the video's keyframes captioned")
            .atMost(Duration.ofMinutes(3))
            .pollInterval(Duration.ofSeconds(1))
            .until(() -> client.status(mediaId), s -> s.path("keyframeCaptions").size() > 0);
    System.out.printf(
        "video %s: keyframes %s, captions %s%n",
        mediaId, status.path("keyframes"), status.path("keyframeCaptions"));
    assertThat(status.path("keyframes").size()).as("keyframes of %s", status).isEqualTo(4);
    JsonNode captions = status.path("keyframeCaptions");
    assertThat(captions.size()).as("keyframe captions of %s", status).isEqualTo(4);
    // The fixture captioner names the colour and shape it sees: the plain red scene is a square.
    assertThat(captions.get(1).path("caption").asText()).isEqualTo("a red square");
    assertThat(captions.get(1).path("startMs").asLong())
        .isBetween(SCENE_MS - SLACK_MS, SCENE_MS + SLACK_MS);
    assertThat(captions.get(3).path("ocrText").asText()).isEqualTo(WORD);
    assertThat(status.path("ocrText").asText()).contains(WORD);

    assertThat(segments(hitOf(search(client, "red square"), mediaId), true))
        .as("keyframes matched by their caption")
        .anySatisfy(
            s -> {
              assertThat(s.path("text").asText()).isEqualTo("a red square");
              assertThat(s.path("startMs").asLong())
                  .isBetween(SCENE_MS - SLACK_MS, SCENE_MS + SLACK_MS);
            });
    assertThat(segments(hitOf(search(client, WORD.toLowerCase()), mediaId), true))
        .as("keyframes matched by their OCR text")
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.path("text").asText()).endsWith(WORD);
              assertThat(s.path("startMs").asLong())
                  .isBetween(3 * SCENE_MS - SLACK_MS, 3 * SCENE_MS + SLACK_MS);
              assertThat(s.path("endMs").asLong()).isGreaterThanOrEqualTo(4 * SCENE_MS - SLACK_MS);
            });

    JsonNode analysed =
        await("the video's keyframes tagged")
            .atMost(Duration.ofMinutes(3))
            .pollInterval(Duration.ofSeconds(1))
            .until(() -> client.status(mediaId), s -> s.path("vision").asText().equals("analysed"));
    System.out.printf("video %s: objects %s%n", mediaId, analysed.path("objects"));
    assertThat(analysed.path("objects").findValuesAsText("label"))
        .as("tags of the video's keyframes")
        .contains("horse");
    assertThat(hitOf(search(client, "a photo&object=horse"), mediaId))
        .as("the objects filter keeps the video")
        .isNotNull();
  }

  /**
   * The hit's segments that carry text (caption, OCR or transcript matches) or, with {@code
   * withText} false, those that do not (keyframes the query vector matched), in the hit's order;
   * empty for no hit.
   */
  private static List<JsonNode> segments(JsonNode hit, boolean withText) {
    List<JsonNode> found = new ArrayList<>();
    if (hit != null) {
      for (JsonNode s : hit.path("segments")) {
        if (s.path("text").asText().isEmpty() != withText) {
          found.add(s);
        }
      }
    }
    return found;
  }

  /** Black capitals on white, 320×240 like the video, for the OCR scene. */
  private static Path word(Path png) throws Exception {
    BufferedImage image = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, 320, 240);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 80));
    g.drawString(WORD, 40, 160);
    g.dispose();
    ImageIO.write(image, "png", png.toFile());
    return png;
  }

  /**
   * coffee.png 0–3 s, plain red 3–6 s, horse.png 6–9 s, the word 9–12 s; H.264 in MP4, 320×240, 10
   * fps.
   */
  private static void makeVideo(Path images, Path word, Path out) throws Exception {
    String scene = "scale=320:240,setsar=1,fps=10,format=yuv420p";
    List<String> command =
        List.of(
            "ffmpeg",
            "-nostdin",
            "-loglevel",
            "error",
            "-loop",
            "1",
            "-t",
            "3",
            "-i",
            images.resolve("coffee.png").toString(),
            "-f",
            "lavfi",
            "-i",
            "color=c=red:s=320x240:d=3:r=10",
            "-loop",
            "1",
            "-t",
            "3",
            "-i",
            images.resolve("horse.png").toString(),
            "-loop",
            "1",
            "-t",
            "3",
            "-i",
            word.toString(),
            "-filter_complex",
            "[0]%1$s[a];[1]%1$s[b];[2]%1$s[c];[3]%1$s[d];[a][b][c][d]concat=n=4:v=1:a=0[v]"
                .formatted(scene),
            "-map",
            "[v]",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            out.toString());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String log = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor()).as("ffmpeg: %s", log).isZero();
  }

  /** Safe search off: the checks are about finding the video, not about its safety scores. */
  private static JsonNode search(PlatformClient client, String query) throws Exception {
    var response = client.get("/v1/search?safe=false&k=50&q=" + query.replace(' ', '+'));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return PlatformClient.JSON.readTree(response.body());
  }

  private static JsonNode hitOf(JsonNode result, String mediaId) {
    for (JsonNode hit : result.path("hits")) {
      if (hit.path("mediaId").asText().equals(mediaId)) {
        return hit;
      }
    }
    return null;
  }
}
