package multimodal.gateway.grpc;

import static multimodal.gateway.rest.TestKeys.asOther;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import multimodal.devkit.kafka.KafkaBrokerTestResource;
import multimodal.gateway.rest.TestKeys;
import multimodal.internalauth.InternalCall;
import multimodal.v1.CaptionRequest;
import multimodal.v1.GeneratorServiceGrpc;
import multimodal.v1.GetMediaRequest;
import multimodal.v1.ImageSource;
import multimodal.v1.RetrievalServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every call the gateway makes to retrieval-service and generator-service carries a call token from
 * {@code gateway} whose tenant is the tenant of the API key of the request being served, on REST
 * and on the public gRPC proxies alike. The fake backends verify the tokens with the workers' own
 * check; without the gateway's {@link InternalCallTokens} every one of these calls is refused.
 */
@QuarkusTest
@WithTestResource(KafkaBrokerTestResource.class)
@WithTestResource(FakeBackendsTestResource.class)
class InternalCallTokensTest {
  private static final Path HORSE = Path.of("../testdata/images/horse.png");

  @FakeBackendsTestResource.InjectFake FakeRetrievalService retrieval;
  @FakeBackendsTestResource.InjectFake FakeGeneratorService generator;

  private final ManagedChannel channel = PublicGrpc.open();

  @BeforeEach
  void forgetRefusals() {
    FakeBackendsTestResource.REFUSALS.clear();
  }

  @AfterEach
  void disconnect() throws InterruptedException {
    PublicGrpc.close(channel);
  }

  @Test
  void restCallsCarryATokenForTheApiKeysTenant() {
    asOther().queryParam("q", "horse").get("/v1/search").then().statusCode(200);
    assertThat(retrieval.lastCall()).isEqualTo(new InternalCall("gateway", Optional.of("other")));

    asOther().get("/v1/media/{id}", FakeRetrievalService.KNOWN_MEDIA).then().statusCode(404);
    assertThat(retrieval.lastCall().tenant()).contains("other");
    // REST to the generator: TenantIsolationTest.tenantTravelsToTheGenerator (the fake records the
    // verified tenant).
    assertThat(FakeBackendsTestResource.REFUSALS).isEmpty();
  }

  @Test
  void publicGrpcProxiesForwardWithATokenForTheApiKeysTenantNotTheRequests() throws IOException {
    var getMedia =
        GetMediaRequest.newBuilder()
            .setMediaId(FakeRetrievalService.KNOWN_MEDIA)
            .setTenant("other")
            .build();
    assertThat(
            PublicGrpc.as(RetrievalServiceGrpc.newBlockingStub(channel), TestKeys.DEFAULT)
                .getMedia(getMedia)
                .getMediaId())
        .isEqualTo(FakeRetrievalService.KNOWN_MEDIA);
    assertThat(retrieval.lastCall()).isEqualTo(new InternalCall("gateway", Optional.of("default")));

    PublicGrpc.as(GeneratorServiceGrpc.newBlockingStub(channel), TestKeys.OTHER)
        .caption(
            CaptionRequest.newBuilder()
                .addImages(
                    ImageSource.newBuilder()
                        .setData(ByteString.copyFrom(Files.readAllBytes(HORSE))))
                .build());
    assertThat(generator.lastTenant()).isEqualTo("other");
    assertThat(FakeBackendsTestResource.REFUSALS).isEmpty();
  }
}
