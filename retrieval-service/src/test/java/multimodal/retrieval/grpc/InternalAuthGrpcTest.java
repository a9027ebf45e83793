package multimodal.retrieval.grpc;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import multimodal.internalauth.CallTokenClientInterceptor;
import multimodal.internalauth.CallTokens;
import multimodal.internalauth.InternalServices;
import multimodal.internalauth.SigningKeys;
import multimodal.retrieval.NoConsumerResource;
import multimodal.retrieval.TempIndexDirResource;
import multimodal.v1.GetMediaRequest;
import multimodal.v1.RetrievalServiceGrpc;
import multimodal.v1.SearchMode;
import multimodal.v1.SearchRequest;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Retrieval serves the gateway and its own shards only, each call with a valid call token, and
 * every call names its tenant in the request, the same tenant as the token's; grpc.health.v1 stays
 * open. Same test resources as {@link RetrievalGrpcServiceTest}: one application start.
 */
@QuarkusTest
@QuarkusTestResource(value = TempIndexDirResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = NoConsumerResource.class, restrictToAnnotatedClass = true)
class InternalAuthGrpcTest {
  private static final String KEY =
      ConfigProvider.getConfig().getValue("multimodal.internal-auth.key", String.class);

  private final ManagedChannel channel =
      ManagedChannelBuilder.forAddress(
              "127.0.0.1",
              ConfigProvider.getConfig().getValue("quarkus.http.test-port", Integer.class))
          .usePlaintext()
          .build();

  @AfterEach
  void disconnect() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private RetrievalServiceGrpc.RetrievalServiceBlockingStub as(String service, String tenant) {
    return CallTokenClientInterceptor.forTenant(
        RetrievalServiceGrpc.newBlockingStub(channel)
            .withInterceptors(
                new CallTokenClientInterceptor(
                    new CallTokens(service, SigningKeys.of(Optional.of(KEY), Optional.empty())))),
        tenant);
  }

  private static GetMediaRequest media(String tenant) {
    return GetMediaRequest.newBuilder().setMediaId("nothing-here").setTenant(tenant).build();
  }

  private static Status.Code codeOf(Runnable call) {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
    assertThat(e).as("the call was refused").isNotNull();
    assertThat(e.getStatus().getDescription()).isNotBlank();
    return e.getStatus().getCode();
  }

  @Test
  void theGatewaysCallForItsTenantIsServedAndTheEncoderCallBehindItCarriesAToken() {
    // Text search: retrieval embeds the query through its EncoderService client (the fake served
    // by this app, behind the same check), so both hops are authenticated.
    var answer =
        as(InternalServices.GATEWAY, "acme")
            .search(
                SearchRequest.newBuilder()
                    .setTenant("acme")
                    .setText("red")
                    .setMode(SearchMode.SEARCH_MODE_VECTOR)
                    .build());

    assertThat(answer.getModelName()).isEqualTo("clip");
    assertThat(codeOf(() -> as(InternalServices.GATEWAY, "acme").getMedia(media("acme"))))
        .isEqualTo(Status.Code.NOT_FOUND);
  }

  @Test
  void aCallWithoutATokenIsUnauthenticatedAndCounted() {
    assertThat(codeOf(() -> RetrievalServiceGrpc.newBlockingStub(channel).getMedia(media("acme"))))
        .isEqualTo(Status.Code.UNAUTHENTICATED);

    assertThat(given().port(managementPort()).get("/q/metrics").asString())
        .containsPattern(
            "internal_auth_refusals_total\\{caller=\"unknown\",reason=\"missing_token\"} [1-9]");
  }

  @Test
  void aTokenForAnotherServiceIsUnauthenticated() {
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
        "Bearer "
            + new CallTokens(
                    InternalServices.GATEWAY, SigningKeys.of(Optional.of(KEY), Optional.empty()))
                .mint(InternalServices.GENERATOR, "acme"));

    assertThat(
            codeOf(
                () ->
                    RetrievalServiceGrpc.newBlockingStub(channel)
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                        .getMedia(media("acme"))))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void aServiceThatIsNotAnAllowedCallerIsDenied() {
    assertThat(codeOf(() -> as(InternalServices.ENCODER, "acme").getMedia(media("acme"))))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(codeOf(() -> as(InternalServices.GENERATOR, "acme").getMedia(media("acme"))))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
  }

  @Test
  void aRequestForAnotherTenantThanTheTokensIsDenied() {
    assertThat(codeOf(() -> as(InternalServices.GATEWAY, "acme").getMedia(media("default"))))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
  }

  @Test
  void aRequestThatNamesNoTenantIsInvalid() {
    assertThat(codeOf(() -> as(InternalServices.GATEWAY, "acme").getMedia(media(""))))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(codeOf(() -> as(InternalServices.GATEWAY, null).getMedia(media(""))))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void healthStaysOpenWithoutAToken() {
    HealthCheckResponse health =
        HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance());

    assertThat(health.getStatus()).isNotEqualTo(HealthCheckResponse.ServingStatus.UNKNOWN);
  }

  @Test
  void serverReflectionNeedsATokenToo() throws Exception {
    CompletableFuture<Throwable> end = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests =
        ServerReflectionGrpc.newStub(channel)
            .serverReflectionInfo(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ServerReflectionResponse response) {}

                  @Override
                  public void onError(Throwable t) {
                    end.complete(t);
                  }

                  @Override
                  public void onCompleted() {
                    end.complete(null);
                  }
                });
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("*").build());
    requests.onCompleted();

    Throwable error = end.get(10, TimeUnit.SECONDS);
    assertThat(error).as("reflection answered without a token").isNotNull();
    assertThat(Status.fromThrowable(error).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  private static int managementPort() {
    return ConfigProvider.getConfig().getValue("quarkus.management.test-port", Integer.class);
  }
}
