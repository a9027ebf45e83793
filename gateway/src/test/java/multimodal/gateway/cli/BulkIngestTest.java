package multimodal.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import multimodal.devkit.kafka.KafkaBrokerTestResource;
import multimodal.gateway.grpc.FakeBackendsTestResource;
import multimodal.media.video.TestVideos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The bulk-ingest CLI against the gateway (fake backends whose pipeline finishes at once for tenant
 * "bulk").
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
@WithTestResource(FakeBackendsTestResource.class)
class BulkIngestTest {
  private static final Path IMAGES = Path.of("../testdata/images");
  private static final String KEY = "test-key-bulk";

  private record Run(int exitCode, String output) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    CommandLine command = new CommandLine(new BulkIngest());
    command.setOut(new PrintWriter(out));
    command.setErr(new PrintWriter(out));
    List<String> all =
        new ArrayList<>(
            List.of(
                "--gateway",
                "http://127.0.0.1:18080",
                "--api-key",
                KEY,
                "--poll",
                "PT0.1S",
                "--timeout",
                "PT30S"));
    all.addAll(List.of(args));
    return new Run(command.execute(all.toArray(String[]::new)), out.toString());
  }

  private static Path folder(Path dir, String... images) throws IOException {
    Path folder = Files.createDirectories(dir.resolve("images"));
    for (String image : images) {
      Files.copy(IMAGES.resolve(image), folder.resolve(image), StandardCopyOption.REPLACE_EXISTING);
    }
    return folder;
  }

  @Test
  void ingestsAFolderFollowsThePipelineAndFailsOnRefusedItems(@TempDir Path dir)
      throws IOException {
    Path folder = folder(dir, "horse.png", "coffee.png");
    Files.writeString(folder.resolve("notes.png"), "not an image at all");
    Path state = dir.resolve("state.json");

    Run run = run("--state", state.toString(), "--until", "captioned", folder.toString());

    assertThat(run.exitCode()).as(run.output()).isEqualTo(1);
    assertThat(run.output())
        .contains(
            "summary: 3 item(s): 2 sent, 2 embedded, 2 captioned, 1 failed (target: captioned)")
        .contains("failed: " + folder.resolve("notes.png").toAbsolutePath().normalize() + ": 415")
        .contains("[##############################] sent 2/3  embedded 2  captioned 2  failed 1");
    JsonNode saved = new ObjectMapper().readTree(state.toFile());
    assertThat(saved.size()).isEqualTo(3);
    assertThat(
            saved
                .get(folder.resolve("horse.png").toAbsolutePath().normalize().toString())
                .path("stage")
                .asText())
        .isEqualTo("CAPTIONED");
  }

  @Test
  void sendsVideosAndRecordingsOfAFolderStreamedFromDisk(@TempDir Path dir) throws IOException {
    Path folder = folder(dir, "horse.png");
    Files.write(folder.resolve("film.mp4"), TestVideos.mp4(1, "horse.png"));
    Files.write(folder.resolve("speech.wav"), silentWav(8_000));
    Files.writeString(folder.resolve("notes.txt"), "not media: not sent");

    Run run =
        run("--state", dir.resolve("state.json").toString(), "--until", "sent", folder.toString());

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output()).contains("summary: 3 item(s): 3 sent");
  }

  @Test
  void aTranscribedRecordingIsEmbeddedAndCaptionedAndAnUntranscribedOneOnlySent()
      throws IOException {
    ObjectMapper json = new ObjectMapper();
    assertThat(
            BulkIngest.stageOf(
                json.readTree(
                    "{\"contentType\":\"audio/wav\",\"embeddedBy\":[],\"captioned\":false,"
                        + "\"transcript\":[{\"text\":\"hello\",\"startMs\":0,\"endMs\":900}]}")))
        .isEqualTo(BulkIngest.Stage.CAPTIONED);
    assertThat(
            BulkIngest.stageOf(
                json.readTree(
                    "{\"contentType\":\"audio/wav\",\"embeddedBy\":[],\"captioned\":false,"
                        + "\"transcript\":[]}")))
        .isEqualTo(BulkIngest.Stage.SENT);
    assertThat(
            BulkIngest.stageOf(
                json.readTree(
                    "{\"contentType\":\"video/mp4\",\"embeddedBy\":[{}],\"captioned\":false,"
                        + "\"transcript\":[{\"text\":\"hello\"}]}")))
        .as("a video's transcript is not its caption")
        .isEqualTo(BulkIngest.Stage.EMBEDDED);
  }

  /** A PCM WAV of {@code samples} silent 16 kHz mono samples. */
  private static byte[] silentWav(int samples) {
    java.nio.ByteBuffer wav =
        java.nio.ByteBuffer.allocate(44 + 2 * samples).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    wav.put("RIFF".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(36 + 2 * samples);
    wav.put("WAVEfmt ".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(16);
    wav.putShort((short) 1).putShort((short) 1).putInt(16_000).putInt(32_000);
    wav.putShort((short) 2).putShort((short) 16);
    wav.put("data".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(2 * samples);
    return wav.array();
  }

  @Test
  void resumesFromTheStateFileWithoutSendingAgain(@TempDir Path dir) throws IOException {
    Path folder = folder(dir, "horse.png", "coffee.png");
    String horse = folder.resolve("horse.png").toAbsolutePath().normalize().toString();
    Path state = dir.resolve("state.json");
    // As left by a run interrupted after sending the horse.
    Files.writeString(
        state,
        new ObjectMapper()
            .writeValueAsString(
                java.util.Map.of(
                    horse, java.util.Map.of("mediaId", "sent-before", "stage", "SENT"))));

    Run run = run("--state", state.toString(), folder.toString());

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output())
        .contains("resuming: 1 of 2 item(s) already in")
        .contains("summary: 2 item(s): 2 sent, 2 embedded, 2 captioned, 0 failed");
    JsonNode saved = new ObjectMapper().readTree(state.toFile());
    assertThat(saved.get(horse).path("mediaId").asText())
        .as("not sent again")
        .isEqualTo("sent-before");

    Run again = run("--state", state.toString(), folder.toString());
    assertThat(again.exitCode()).isZero();
    assertThat(again.output()).contains("resuming: 2 of 2 item(s)");
  }

  @Test
  void ingestsAListOfUrls(@TempDir Path dir) throws IOException {
    Path list =
        Files.writeString(
            dir.resolve("urls.txt"),
            "# images\nhttps://images.example.com/a.jpg\n\nhttps://images.example.com/b.jpg\n");

    Run run = run("--state", dir.resolve("state.json").toString(), "--urls", list.toString());

    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.output())
        .contains(
            "summary: 2 item(s): 2 sent, 2 embedded, 2 captioned, 0 failed (target: embedded)");
  }

  @Test
  void aWrongKeyFailsEveryItem(@TempDir Path dir) throws IOException {
    StringWriter out = new StringWriter();
    CommandLine command = new CommandLine(new BulkIngest());
    command.setOut(new PrintWriter(out));
    int code =
        command.execute(
            "--gateway",
            "http://127.0.0.1:18080",
            "--api-key",
            "nope",
            "--state",
            dir.resolve("s.json").toString(),
            folder(dir, "horse.png").toString());
    assertThat(code).isEqualTo(1);
    assertThat(out.toString()).contains("1 failed").contains("401");
  }
}
