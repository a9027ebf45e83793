package multimodal.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.awt.Color;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import multimodal.v1.AskPart;
import multimodal.v1.AskRequest;
import multimodal.v1.AskResponse;
import multimodal.v1.GeneratorServiceGrpc;
import multimodal.v1.ImageSource;

/**
 * A question over two images on the real pipeline (the generator's VQA demo fixture, which answers
 * "which image is red, the first or the second?" from both images): REST {@code /v1/ask} with items
 * of the caller's tenant as parts (Server-Sent Events), and the gateway's public gRPC Ask with the
 * images by value (a stream), each in both orders.
 */
final class InterleavedAskChecks {
  private static final String QUESTION = "Which image is red, the first or the second?";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private InterleavedAskChecks() {}

  static void aTwoImageQuestionIsAnsweredOverRestAndGrpc(PlatformClient client, int gatewayPort)
      throws Exception {
    byte[] red = PlatformClient.solidPng(Color.RED);
    byte[] blue = PlatformClient.solidPng(Color.BLUE);
    String redId = uploadedId(client, red, "red.png");
    String blueId = uploadedId(client, blue, "blue.png");

    assertThat(finalAnswer(restAsk(client, redId, blueId))).isEqualTo("first");
    assertThat(finalAnswer(restAsk(client, blueId, redId))).isEqualTo("second");

    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", gatewayPort)
            .usePlaintext()
            .maxInboundMessageSize(32 << 20)
            .build();
    try {
      Metadata key = new Metadata();
      key.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), client.apiKey());
      GeneratorServiceGrpc.GeneratorServiceBlockingStub stub =
          GeneratorServiceGrpc.newBlockingStub(channel)
              .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(key));
      List<AskResponse> redFirst = grpcAsk(stub, red, blue);
      assertThat(redFirst.get(0).getToken()).isEqualTo("first"); // streamed before the final
      assertThat(redFirst.get(redFirst.size() - 1).getFinal().getText()).isEqualTo("first");
      assertThat(redFirst.get(redFirst.size() - 1).getFinal().getFixture()).isTrue();
      List<AskResponse> blueFirst = grpcAsk(stub, blue, red);
      assertThat(blueFirst.get(blueFirst.size() - 1).getFinal().getText()).isEqualTo("second");
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static String uploadedId(PlatformClient client, byte[] png, String name)
      throws IOException, InterruptedException {
    java.nio.file.Path file = java.nio.file.Files.createTempFile("ask-", "-" + name);
    try {
      java.nio.file.Files.write(file, png);
      HttpResponse<String> response = client.upload(file);
      assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
      return PlatformClient.JSON.readTree(response.body()).get("mediaId").asText();
    } finally {
      java.nio.file.Files.deleteIfExists(file);
    }
  }

  private static String restAsk(PlatformClient client, String first, String second)
      throws IOException, InterruptedException {
    String body =
        PlatformClient.JSON.writeValueAsString(
            Map.of(
                "parts",
                List.of(
                    Map.of("mediaId", first),
                    Map.of("mediaId", second),
                    Map.of("text", QUESTION))));
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(client.gatewayUrl() + "/v1/ask"))
                .header("X-API-Key", client.apiKey())
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response.body();
  }

  /** The text of the stream's 'final' event. */
  private static String finalAnswer(String sse) throws IOException {
    String[] lines = sse.split("\r?\n");
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].replace(" ", "").equals("event:final")) {
        for (int j = i + 1; j < lines.length && !lines[j].isEmpty(); j++) {
          if (lines[j].startsWith("data:")) {
            JsonNode data = PlatformClient.JSON.readTree(lines[j].substring(5).strip());
            return data.get("text").asText();
          }
        }
      }
    }
    throw new AssertionError("no final event in:\n" + sse);
  }

  private static List<AskResponse> grpcAsk(
      GeneratorServiceGrpc.GeneratorServiceBlockingStub stub, byte[] first, byte[] second) {
    List<AskResponse> events = new ArrayList<>();
    stub.withDeadlineAfter(60, TimeUnit.SECONDS)
        .ask(
            AskRequest.newBuilder()
                .addParts(image(first))
                .addParts(image(second))
                .addParts(AskPart.newBuilder().setText(QUESTION))
                .build())
        .forEachRemaining(events::add);
    return events;
  }

  private static AskPart image(byte[] png) {
    return AskPart.newBuilder()
        .setImage(ImageSource.newBuilder().setData(ByteString.copyFrom(png)))
        .build();
  }
}
