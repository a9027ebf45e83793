package multimodal.generator.grpc;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import multimodal.v1.GenerateRequest;
import multimodal.v1.GenerateResponse;
import multimodal.v1.GenerateResult;
import multimodal.v1.GeneratorServiceGrpc;
import org.eclipse.microprofile.config.ConfigProvider;

/** Generate over real gRPC, as the gateway calls it, for the tests of the running service. */
final class GenerateCalls {
  private GenerateCalls() {}

  /** A channel to the test instance with the gateway's call tokens, once the service is ready. */
  static ManagedChannel connect() {
    int port = ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class);
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", port)
            .usePlaintext()
            .intercept(new GatewayCallTokens())
            .build();
    int management =
        ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
    await()
        .atMost(Duration.ofSeconds(90))
        .ignoreExceptions()
        .untilAsserted(
            () -> given().port(management).get("/q/health/ready").then().statusCode(200));
    return channel;
  }

  /** The stream's events; retried while the diffusion model still loads (UNAVAILABLE). */
  static List<GenerateResponse> events(ManagedChannel channel, GenerateRequest request) {
    List<GenerateResponse> events = new ArrayList<>();
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptionsMatching(
            e ->
                e instanceof StatusRuntimeException s
                    && s.getStatus().getCode() == Status.Code.UNAVAILABLE)
        .untilAsserted(
            () -> {
              events.clear();
              Iterator<GenerateResponse> stream =
                  GeneratorServiceGrpc.newBlockingStub(channel)
                      .withDeadlineAfter(60, TimeUnit.SECONDS)
                      .generate(request);
              stream.forEachRemaining(events::add);
            });
    return events;
  }

  /** The result, which ends the stream. */
  static GenerateResult result(List<GenerateResponse> events) {
    assertThat(events.get(events.size() - 1).hasResult()).isTrue();
    return events.get(events.size() - 1).getResult();
  }
}
