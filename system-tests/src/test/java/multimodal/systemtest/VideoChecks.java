package multimodal.systemtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Video on the real pipeline: an MP4 that the test makes with FFmpeg from two shared photographs
 * and a plain red picture, three seconds each (scene changes at 3 s and 6 s), is uploaded over
 * REST; the encoder embeds its keyframes (CLIP), retrieval indexes them; a text search for what the
 * middle scene shows returns the video with its best segment covering 3–6 s, and the item's status
 * lists the three keyframes.
 */
final class VideoChecks {
  private static final long SCENE_MS = 3_000;

  /** Keyframe times may be off the cut by a frame (the video runs at 10 frames a second). */
  private static final long SLACK_MS = 200;

  private VideoChecks() {}

  static void aSceneOfAVideoIsFoundByWhatItShowsWithItsTimeRange(
      PlatformClient client, Path images, Path folder) throws Exception {
    Path video = folder.resolve("scenes.mp4");
    makeVideo(images, video);

    var response = client.upload(video);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    String mediaId = PlatformClient.JSON.readTree(response.body()).get("mediaId").asText();

    JsonNode hit =
        await("the video found by what its middle scene shows")
            .atMost(Duration.ofMinutes(3))
            .pollInterval(Duration.ofSeconds(1))
            .until(
                () -> hitOf(search(client, "something red"), mediaId),
                h -> h != null && h.path("segments").size() > 0);
    assertThat(hit.path("contentType").asText()).isEqualTo("video/mp4");
    JsonNode best = hit.path("segments").get(0);
    assertThat(best.path("startMs").asLong())
        .as("best segment %s starts at the red scene's cut", best)
        .isBetween(SCENE_MS - SLACK_MS, SCENE_MS + SLACK_MS);
    assertThat(best.path("endMs").asLong())
        .as("best segment %s ends at the next cut", best)
        .isBetween(2 * SCENE_MS - SLACK_MS, 2 * SCENE_MS + SLACK_MS);

    JsonNode status = client.status(mediaId);
    System.out.printf("video %s: %s%n", mediaId, status.path("keyframes"));
    assertThat(status.path("keyframes").size()).as("keyframes of %s", status).isEqualTo(3);
  }

  /** coffee.png 0–3 s, plain red 3–6 s, horse.png 6–9 s; H.264 in MP4, 320×240, 10 fps. */
  private static void makeVideo(Path images, Path out) throws Exception {
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
            "-filter_complex",
            "[0]%1$s[a];[1]%1$s[b];[2]%1$s[c];[a][b][c]concat=n=3:v=1:a=0[v]".formatted(scene),
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

  /** Safe search off: no safety classifier scores video, and a tenant may hide unscored items. */
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
