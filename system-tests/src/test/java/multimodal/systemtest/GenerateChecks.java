package multimodal.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import multimodal.v1.GenerateRequest;
import multimodal.v1.GenerateResponse;
import multimodal.v1.GenerateResult;
import multimodal.v1.GeneratorServiceGrpc;

/**
 * Text to image on the real pipeline (the generator's diffusion demo fixture, whose pictures follow
 * colour and shape words, re-ranked by the encoder's CLIP fixture through retrieval's Rerank): REST
 * {@code /v1/generate} (Server-Sent Events) and the gateway's public gRPC Generate; "a red square"
 * has a red centre, the same seed gives the same bytes over both, and caller images are re-ranked
 * by CLIP (a red and a blue square against "a red square": red first, though given second).
 */
final class GenerateChecks {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Map<String, Object> RED_SQUARE =
      Map.of(
          "prompt",
          "a red square",
          "candidates",
          2,
          "steps",
          12,
          "seed",
          11,
          "width",
          64,
          "height",
          64);

  private GenerateChecks() {}

  static void aRedSquareIsRedOverRestAndGrpcAndASeedReproducesIt(
      PlatformClient client, int gatewayPort) throws Exception {
    String stream = post(client, "/v1/generate", RED_SQUARE, "text/event-stream");
    assertThat(stream).contains("event:progress").contains("\"steps\":12");
    JsonNode result = event(stream, "result");
    assertThat(result.get("seed").asLong()).isEqualTo(11);
    JsonNode candidates = result.get("candidates");
    assertThat(candidates).hasSize(2);
    assertThat(candidates.get(0).get("rank").asInt()).isEqualTo(1);
    assertThat(candidates.get(0).get("clipScore").asDouble())
        .isGreaterThanOrEqualTo(candidates.get(1).get("clipScore").asDouble());
    assertThat(result.get("clipModel").get("name").asText()).isNotEmpty();
    byte[] best = Base64.getDecoder().decode(candidates.get(0).get("png").asText());
    int[] centre = centre(best);
    assertThat(centre[0]).as("red of the centre").isGreaterThan(centre[1] + 60);
    assertThat(centre[0]).isGreaterThan(centre[2] + 60);

    JsonNode again = event(post(client, "/v1/generate", RED_SQUARE, "text/event-stream"), "result");
    assertThat(again.get("candidates").get(0).get("png").asText())
        .isEqualTo(candidates.get(0).get("png").asText());

    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", gatewayPort)
            .usePlaintext()
            .maxInboundMessageSize(32 << 20)
            .build();
    try {
      Metadata key = new Metadata();
      key.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), client.apiKey());
      List<GenerateResponse> events = new ArrayList<>();
      GeneratorServiceGrpc.newBlockingStub(channel)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(key))
          .withDeadlineAfter(120, TimeUnit.SECONDS)
          .generate(
              GenerateRequest.newBuilder()
                  .setPrompt("a red square")
                  .setCandidates(2)
                  .setSteps(12)
                  .setSeed(11)
                  .setWidth(64)
                  .setHeight(64)
                  .build())
          .forEachRemaining(events::add);
      assertThat(events.get(0).getProgress().getStep()).isEqualTo(1);
      GenerateResult grpc = events.get(events.size() - 1).getResult();
      assertThat(grpc.getImages(0).getRank()).isEqualTo(1);
      // The same seed over gRPC gives the very bytes REST gave.
      assertThat(grpc.getImages(0).getPng().toByteArray()).isEqualTo(best);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  static void callerImagesAreReRankedByClip(PlatformClient client) throws Exception {
    String blue = Base64.getEncoder().encodeToString(PlatformClient.solidPng(Color.BLUE));
    String red = Base64.getEncoder().encodeToString(PlatformClient.solidPng(Color.RED));
    JsonNode ranking =
        PlatformClient.JSON.readTree(
            post(
                client,
                "/v1/rerank/images",
                Map.of("text", "a red square", "images", List.of(blue, red)),
                "application/json"));
    assertThat(ranking.get("images").get(0).get("index").asInt())
        .as(ranking.toString())
        .isEqualTo(1);
    assertThat(ranking.get("images").get(0).get("score").asDouble())
        .isGreaterThan(ranking.get("images").get(1).get("score").asDouble());
  }

  private static String post(PlatformClient client, String path, Object body, String accept)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(client.gatewayUrl() + path))
                .header("X-API-Key", client.apiKey())
                .header("Content-Type", "application/json")
                .header("Accept", accept)
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        PlatformClient.JSON.writeValueAsString(body)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.body();
  }

  /** The data of the stream's event of that name. */
  private static JsonNode event(String sse, String name) throws IOException {
    String[] lines = sse.split("\r?\n");
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].replace(" ", "").equals("event:" + name)) {
        for (int j = i + 1; j < lines.length && !lines[j].isEmpty(); j++) {
          if (lines[j].startsWith("data:")) {
            return PlatformClient.JSON.readTree(lines[j].substring(5).strip());
          }
        }
      }
    }
    throw new AssertionError("no " + name + " event in:\n" + sse);
  }

  /** Mean R, G, B of the centre quarter. */
  private static int[] centre(byte[] png) throws IOException {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    long[] sum = new long[3];
    int from = image.getWidth() * 3 / 8;
    int to = image.getWidth() * 5 / 8;
    for (int y = from; y < to; y++) {
      for (int x = from; x < to; x++) {
        int rgb = image.getRGB(x, y);
        sum[0] += (rgb >> 16) & 0xff;
        sum[1] += (rgb >> 8) & 0xff;
        sum[2] += rgb & 0xff;
      }
    }
    int n = (to - from) * (to - from);
    return new int[] {(int) (sum[0] / n), (int) (sum[1] / n), (int) (sum[2] / n)};
  }
}
