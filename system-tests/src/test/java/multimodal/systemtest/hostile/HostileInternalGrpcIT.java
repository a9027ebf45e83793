package multimodal.systemtest.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import multimodal.systemtest.RunningPlatform;
import multimodal.systemtest.ServiceTokens;
import multimodal.v1.CaptionRequest;
import multimodal.v1.EncodeTextsRequest;
import multimodal.v1.EncoderServiceGrpc;
import multimodal.v1.GeneratorServiceGrpc;
import multimodal.v1.GetMediaRequest;
import multimodal.v1.GetMediaResponse;
import multimodal.v1.ImageSource;
import multimodal.v1.RetrievalServiceGrpc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The internal gRPC ports called directly, as something inside the cluster could: every call must
 * carry a service token (metadata {@code authorization: Bearer <HS256 JWT>}, claims iss, aud, iat,
 * exp, tenant) signed with {@code multimodal.internal-auth.key}, from a caller the callee admits,
 * for the tenant the request names. These cases need the service-to-service authentication work;
 * they fail on a platform without it.
 */
@ExtendWith(HostileSuite.class)
class HostileInternalGrpcIT {
  private static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
  private static HostileWorld world;
  private static String key;
  private static String victimId;
  private static ManagedChannel retrieval;
  private static ManagedChannel encoder;
  private static ManagedChannel generator;

  @BeforeAll
  static void world(HostileWorld w) {
    world = w;
    key = w.platform().internalAuthKey();
    victimId = w.victimItem().mediaId();
    retrieval = channel(RunningPlatform.RETRIEVAL);
    encoder = channel(RunningPlatform.ENCODER);
    generator = channel(RunningPlatform.GENERATOR);
  }

  @AfterAll
  static void close() {
    retrieval.shutdownNow();
    encoder.shutdownNow();
    generator.shutdownNow();
  }

  @AfterEach
  void victimIntact() throws Exception {
    world.assertVictimIntact();
  }

  private static ManagedChannel channel(String module) {
    return ManagedChannelBuilder.forAddress("127.0.0.1", world.platform().port(module))
        .usePlaintext()
        .build();
  }

  private static <S extends AbstractStub<S>> S with(S stub, String authorization) {
    Metadata metadata = new Metadata();
    if (authorization != null) {
      metadata.put(AUTHORIZATION, authorization);
    }
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata))
        .withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  private static Status.Code code(Executable call) {
    return assertThrows(StatusRuntimeException.class, call).getStatus().getCode();
  }

  private static GetMediaResponse getMedia(String authorization, String tenant) {
    return with(RetrievalServiceGrpc.newBlockingStub(retrieval), authorization)
        .getMedia(GetMediaRequest.newBuilder().setMediaId(victimId).setTenant(tenant).build());
  }

  private static String bearer(String token) {
    return "Bearer " + token;
  }

  @Test
  void aValidTokenFromTheGatewayReadsTheItem() {
    // The control: the right token works, so the refusals below are the token's doing.
    assertThat(
            getMedia(
                    bearer(ServiceTokens.valid(key, "gateway", "retrieval-service", "acme")),
                    "acme")
                .getTenant())
        .isEqualTo("acme");
  }

  @Test
  void noTokenIsUnauthenticated() {
    assertThat(code(() -> getMedia(null, "acme"))).isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @ParameterizedTest(name = "authorization \"{0}\" is unauthenticated")
  @ValueSource(
      strings = {
        "Bearer",
        "Bearer not.a.jwt",
        "Basic Z2F0ZXdheTpzZWNyZXQ=",
        "Bearer eyJhbGciOiJub25lIn0.eyJpc3MiOiJnYXRld2F5In0."
      })
  void malformedTokensAreUnauthenticated(String authorization) {
    assertThat(code(() -> getMedia(authorization, "acme"))).isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void anExpiredTokenIsUnauthenticated() {
    Instant past = Instant.now().minusSeconds(600);
    String expired =
        ServiceTokens.mint(key, "gateway", "retrieval-service", "acme", past, past.plusSeconds(60));
    assertThat(code(() -> getMedia(bearer(expired), "acme")))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void aTokenSignedWithAnotherKeyIsUnauthenticated() {
    String forged =
        ServiceTokens.valid(
            "an-attackers-own-key-of-at-least-32-bytes!", "gateway", "retrieval-service", "acme");
    assertThat(code(() -> getMedia(bearer(forged), "acme"))).isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void aTokenForAnotherAudienceIsUnauthenticated() {
    String forEncoder = ServiceTokens.valid(key, "gateway", "encoder-service", "acme");
    assertThat(code(() -> getMedia(bearer(forEncoder), "acme")))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @Test
  void aCallerRetrievalDoesNotAdmitIsPermissionDenied() {
    String fromEncoder = ServiceTokens.valid(key, "encoder-service", "retrieval-service", "acme");
    assertThat(code(() -> getMedia(bearer(fromEncoder), "acme")))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
  }

  @Test
  void aRequestForAnotherTenantThanTheTokensIsPermissionDenied() {
    String mallorys = ServiceTokens.valid(key, "gateway", "retrieval-service", "mallory");
    assertThat(code(() -> getMedia(bearer(mallorys), "acme")))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
  }

  @Test
  void anEmptyTenantIsInvalidArgument() {
    String token = ServiceTokens.valid(key, "gateway", "retrieval-service", "acme");
    assertThat(code(() -> getMedia(bearer(token), ""))).isEqualTo(Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void theEncoderAdmitsRetrievalAndRefusesOthers() {
    EncodeTextsRequest request = EncodeTextsRequest.newBuilder().addTexts("red").build();
    assertThat(
            with(
                    EncoderServiceGrpc.newBlockingStub(encoder),
                    bearer(
                        ServiceTokens.valid(key, "retrieval-service", "encoder-service", "acme")))
                .encodeTexts(request)
                .getEmbeddingsCount())
        .isEqualTo(1);
    assertThat(
            code(
                () -> with(EncoderServiceGrpc.newBlockingStub(encoder), null).encodeTexts(request)))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(
            code(
                () ->
                    with(
                            EncoderServiceGrpc.newBlockingStub(encoder),
                            bearer(
                                ServiceTokens.valid(
                                    key, "generator-service", "encoder-service", "acme")))
                        .encodeTexts(request)))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
  }

  @Test
  void theGeneratorAdmitsOnlyTheGateway() {
    CaptionRequest request =
        CaptionRequest.newBuilder()
            .addImages(ImageSource.newBuilder().setUri("https://example.com/a.png"))
            .build();
    assertThat(
            code(
                () -> with(GeneratorServiceGrpc.newBlockingStub(generator), null).caption(request)))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(
            code(
                () ->
                    with(
                            GeneratorServiceGrpc.newBlockingStub(generator),
                            bearer(
                                ServiceTokens.valid(
                                    key, "retrieval-service", "generator-service", "acme")))
                        .caption(request)))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
  }

  @Test
  void theGeneratorDoesNotTakeTheTenantFromAnXTenantHeader() {
    Metadata metadata = new Metadata();
    metadata.put(Metadata.Key.of("x-tenant", Metadata.ASCII_STRING_MARSHALLER), "acme");
    CaptionRequest request =
        CaptionRequest.newBuilder()
            .addImages(
                ImageSource.newBuilder()
                    .setUri(world.gatewayUrl() + "/internal/blobs/" + world.victimItem().sha256()))
            .build();
    assertThat(
            code(
                () ->
                    GeneratorServiceGrpc.newBlockingStub(generator)
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata))
                        .withDeadlineAfter(20, TimeUnit.SECONDS)
                        .caption(request)))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
  }

  @ParameterizedTest(name = "{0}: grpc.health.v1.Health answers without a token")
  @ValueSource(
      strings = {RunningPlatform.ENCODER, RunningPlatform.GENERATOR, RunningPlatform.RETRIEVAL})
  void healthStaysOpen(String module) {
    ManagedChannel channel = channel(module);
    try {
      HealthCheckResponse health =
          HealthGrpc.newBlockingStub(channel)
              .withDeadlineAfter(10, TimeUnit.SECONDS)
              .check(HealthCheckRequest.getDefaultInstance());
      assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    } finally {
      channel.shutdownNow();
    }
  }
}
