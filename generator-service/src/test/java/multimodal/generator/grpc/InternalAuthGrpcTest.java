package multimodal.generator.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.awt.Color;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import multimodal.generator.BlobServerResource;
import multimodal.generator.CaptionFixtureResource;
import multimodal.generator.InMemoryChannelsResource;
import multimodal.generator.TestImages;
import multimodal.internalauth.CallTokenClientInterceptor;
import multimodal.internalauth.CallTokens;
import multimodal.internalauth.InternalServices;
import multimodal.internalauth.SigningKeys;
import multimodal.v1.CaptionRequest;
import multimodal.v1.GeneratorServiceGrpc;
import multimodal.v1.ImageSource;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The generator serves the gateway only, each call with a valid call token that names the tenant
 * (its requests have no tenant field: the token's claim is the tenant, and a header such as {@code
 * x-tenant} proves nothing); grpc.health.v1 stays open. Same test resources as {@link
 * GeneratorGrpcServiceTest}: one application start for both.
 */
@QuarkusTest
@QuarkusTestResource(value = CaptionFixtureResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = InMemoryChannelsResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = BlobServerResource.class, restrictToAnnotatedClass = true)
class InternalAuthGrpcTest {
  private static final String KEY =
      ConfigProvider.getConfig().getValue("multimodal.internal-auth.key", String.class);
  private static final CaptionRequest CAPTION =
      CaptionRequest.newBuilder()
          .addImages(
              ImageSource.newBuilder()
                  .setData(
                      ByteString.copyFrom(
                          TestImages.png(TestImages.shape(Color.RED, "square", 64)))))
          .build();

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

  private GeneratorServiceGrpc.GeneratorServiceBlockingStub as(CallTokens tokens, String tenant) {
    return CallTokenClientInterceptor.forTenant(
            GeneratorServiceGrpc.newBlockingStub(channel)
                .withInterceptors(new CallTokenClientInterceptor(tokens)),
            tenant)
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  private static CallTokens tokensOf(String service) {
    return new CallTokens(service, SigningKeys.of(Optional.of(KEY), Optional.empty()));
  }

  private static Status.Code codeOf(Runnable call) {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
    assertThat(e).as("the call was refused").isNotNull();
    assertThat(e.getStatus().getDescription()).isNotBlank();
    return e.getStatus().getCode();
  }

  @Test
  void theGatewayWithATokenForATenantIsServed() {
    assertThat(as(tokensOf(InternalServices.GATEWAY), "acme").caption(CAPTION).getCaptionsCount())
        .isEqualTo(1);
  }

  @Test
  void anXTenantHeaderWithoutATokenIsUnauthenticated() {
    Metadata spoofed = new Metadata();
    spoofed.put(Metadata.Key.of("x-tenant", Metadata.ASCII_STRING_MARSHALLER), "acme");

    assertThat(
            codeOf(
                () ->
                    GeneratorServiceGrpc.newBlockingStub(channel)
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(spoofed))
                        .caption(CAPTION)))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void expiredTokensAndTokensForAnotherServiceAreUnauthenticated() {
    CallTokens twoMinutesAgo =
        new CallTokens(
            InternalServices.GATEWAY,
            SigningKeys.of(Optional.of(KEY), Optional.empty()),
            Clock.fixed(Instant.now().minusSeconds(120), ZoneOffset.UTC));
    Metadata forRetrieval = new Metadata();
    forRetrieval.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
        "Bearer " + tokensOf(InternalServices.GATEWAY).mint(InternalServices.RETRIEVAL, "acme"));

    assertThat(codeOf(() -> as(twoMinutesAgo, "acme").caption(CAPTION)))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(
            codeOf(
                () ->
                    GeneratorServiceGrpc.newBlockingStub(channel)
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(forRetrieval))
                        .caption(CAPTION)))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void anotherServiceThanTheGatewayIsDenied() {
    assertThat(codeOf(() -> as(tokensOf(InternalServices.RETRIEVAL), "acme").caption(CAPTION)))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(codeOf(() -> as(tokensOf(InternalServices.ENCODER), "acme").caption(CAPTION)))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
  }

  @Test
  void aCallThatNamesNoTenantIsInvalid() {
    assertThat(codeOf(() -> as(tokensOf(InternalServices.GATEWAY), null).caption(CAPTION)))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void healthStaysOpenWithoutAToken() {
    HealthCheckResponse health =
        HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance());

    assertThat(health.getStatus()).isNotEqualTo(HealthCheckResponse.ServingStatus.UNKNOWN);
  }
}
