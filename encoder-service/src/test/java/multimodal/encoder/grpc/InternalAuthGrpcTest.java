package multimodal.encoder.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import multimodal.encoder.ClipFixtureResource;
import multimodal.encoder.InMemoryChannelsResource;
import multimodal.internalauth.CallTokenClientInterceptor;
import multimodal.internalauth.InternalServices;
import multimodal.v1.EncoderServiceGrpc;
import multimodal.v1.ListModelsRequest;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The encoder serves its gRPC API to retrieval-service only, each call with a valid call token;
 * grpc.health.v1 stays open. (Same test resources as {@link EncoderGrpcServiceTest}: one
 * application start for both.)
 */
@QuarkusTest
@QuarkusTestResource(value = ClipFixtureResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = InMemoryChannelsResource.class, restrictToAnnotatedClass = true)
class InternalAuthGrpcTest {
  private final ManagedChannel channel =
      ManagedChannelBuilder.forAddress("127.0.0.1", config("quarkus.http.test-port", Integer.class))
          .usePlaintext()
          .build();

  @BeforeAll
  static void awaitModels() {
    await()
        .atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .untilAsserted(
            () ->
                RestAssured.given()
                    .port(config("quarkus.management.test-port", Integer.class))
                    .get("/q/health/ready")
                    .then()
                    .statusCode(200));
  }

  @AfterEach
  void disconnect() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private static <T> T config(String key, Class<T> type) {
    return ConfigProvider.getConfig().getValue(key, type);
  }

  private EncoderServiceGrpc.EncoderServiceBlockingStub encoderAs(String service, String key) {
    return EncoderServiceGrpc.newBlockingStub(channel)
        .withInterceptors(
            CallTokenClientInterceptor.configured(service, Optional.of(key), Optional.empty()));
  }

  private static Status.Code codeOf(Runnable call) {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
    assertThat(e).as("the call was refused").isNotNull();
    assertThat(e.getStatus().getDescription()).isNotBlank();
    return e.getStatus().getCode();
  }

  @Test
  void retrievalWithAValidTokenIsServed() {
    String key = config("multimodal.internal-auth.key", String.class);

    assertThat(
            encoderAs(InternalServices.RETRIEVAL, key)
                .listModels(ListModelsRequest.getDefaultInstance())
                .getModelsCount())
        .isPositive();
  }

  @Test
  void aCallWithoutATokenOrWithAForeignKeyIsUnauthenticated() {
    assertThat(
            codeOf(
                () ->
                    EncoderServiceGrpc.newBlockingStub(channel)
                        .listModels(ListModelsRequest.getDefaultInstance())))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(
            codeOf(
                () ->
                    encoderAs(
                            InternalServices.RETRIEVAL,
                            "a-key-the-platform-never-issued-0123456789")
                        .listModels(ListModelsRequest.getDefaultInstance())))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void aServiceThatIsNotAnAllowedCallerIsDeniedAndCounted() {
    String key = config("multimodal.internal-auth.key", String.class);

    assertThat(
            codeOf(
                () ->
                    encoderAs(InternalServices.GENERATOR, key)
                        .listModels(ListModelsRequest.getDefaultInstance())))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    String metrics =
        RestAssured.given()
            .port(config("quarkus.management.test-port", Integer.class))
            .get("/q/metrics")
            .asString();
    assertThat(metrics)
        .containsPattern(
            "internal_auth_refusals_total\\{caller=\"generator-service\",reason=\"caller_not_allowed\"}"
                + " [1-9]");
  }

  @Test
  void healthStaysOpenWithoutAToken() {
    HealthCheckResponse health =
        HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance());

    assertThat(health.getStatus()).isNotEqualTo(HealthCheckResponse.ServingStatus.UNKNOWN);
  }
}
