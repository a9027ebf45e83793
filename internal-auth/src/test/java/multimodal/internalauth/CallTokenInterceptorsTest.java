package multimodal.internalauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.rpc.BadRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import multimodal.v1.GeneratedText;
import multimodal.v1.GeneratorServiceGrpc;
import multimodal.v1.GetMediaRequest;
import multimodal.v1.GetMediaResponse;
import multimodal.v1.OcrRequest;
import multimodal.v1.OcrResponse;
import multimodal.v1.RetrievalServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The two interceptors over a real gRPC server and channel: a retrieval-like API (requests with a
 * tenant field) and a generator-like one (no tenant field: the token's claim is the tenant).
 */
class CallTokenInterceptorsTest {
  private static final SigningKeys KEYS =
      SigningKeys.of(Optional.of(CallTokenVerifierTest.KEY), Optional.empty());

  private final List<String> refusals = new ArrayList<>();
  private Server server;
  private ManagedChannel channel;

  /** Answers with what the service code sees: the request's tenant and the verified caller. */
  static final class Retrieval extends RetrievalServiceGrpc.RetrievalServiceImplBase {
    @Override
    public void getMedia(GetMediaRequest request, StreamObserver<GetMediaResponse> answer) {
      answer.onNext(
          GetMediaResponse.newBuilder()
              .setTenant(request.getTenant())
              .setMediaId(InternalCall.current().caller())
              .build());
      answer.onCompleted();
    }
  }

  /** Answers with the tenant of the verified token. */
  static final class Generator extends GeneratorServiceGrpc.GeneratorServiceImplBase {
    @Override
    public void ocr(OcrRequest request, StreamObserver<OcrResponse> answer) {
      answer.onNext(
          OcrResponse.newBuilder()
              .addTexts(GeneratedText.newBuilder().setText(InternalCall.currentTenant()))
              .build());
      answer.onCompleted();
    }
  }

  @BeforeEach
  void start() throws Exception {
    RefusalListener listener = (reason, caller) -> refusals.add(reason.label() + "/" + caller);
    CallTokenServerInterceptor retrievalGuard =
        new CallTokenServerInterceptor(
            "retrieval-service",
            new CallTokenVerifier(KEYS, List.of("gateway", "retrieval-service")),
            listener);
    CallTokenServerInterceptor generatorGuard =
        new CallTokenServerInterceptor(
            "generator-service", new CallTokenVerifier(KEYS, List.of("gateway")), listener);
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(ServerInterceptors.intercept(new Retrieval(), retrievalGuard))
            .addService(ServerInterceptors.intercept(new Generator(), generatorGuard))
            .build()
            .start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private RetrievalServiceGrpc.RetrievalServiceBlockingStub retrievalAs(String service) {
    return RetrievalServiceGrpc.newBlockingStub(channel)
        .withInterceptors(new CallTokenClientInterceptor(new CallTokens(service, KEYS)));
  }

  private GeneratorServiceGrpc.GeneratorServiceBlockingStub generatorAs(String service) {
    return GeneratorServiceGrpc.newBlockingStub(channel)
        .withInterceptors(new CallTokenClientInterceptor(new CallTokens(service, KEYS)));
  }

  private static GetMediaRequest media(String tenant) {
    return GetMediaRequest.newBuilder().setMediaId("m1").setTenant(tenant).build();
  }

  @Test
  void aCallWithATokenReachesTheServiceWithItsVerifiedCaller() {
    GetMediaResponse answer =
        CallTokenClientInterceptor.forTenant(retrievalAs("gateway"), "acme")
            .getMedia(media("acme"));

    assertThat(answer.getTenant()).isEqualTo("acme");
    assertThat(answer.getMediaId()).isEqualTo("gateway");
    assertThat(refusals).isEmpty();
  }

  @Test
  void aCallWithoutATokenIsUnauthenticatedAndCounted() {
    assertCode(
        () -> RetrievalServiceGrpc.newBlockingStub(channel).getMedia(media("acme")),
        Status.Code.UNAUTHENTICATED);

    assertThat(refusals).containsExactly("missing_token/unknown");
  }

  @Test
  void aTokenTheCallerSetsItselfIsReplacedByAFreshOne() {
    Metadata forged = new Metadata();
    forged.put(CallTokenServerInterceptor.AUTHORIZATION, "Bearer forged");

    GetMediaResponse answer =
        retrievalAs("gateway")
            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(forged))
            .getMedia(media("acme"));

    assertThat(answer.getMediaId()).isEqualTo("gateway");
  }

  @Test
  void aCallerTheServiceDoesNotAllowIsPermissionDenied() {
    assertCode(
        () -> retrievalAs("encoder-service").getMedia(media("acme")),
        Status.Code.PERMISSION_DENIED);

    assertThat(refusals).containsExactly("caller_not_allowed/encoder-service");
  }

  @Test
  void aRequestForAnotherTenantThanTheTokensIsPermissionDenied() {
    assertCode(
        () ->
            CallTokenClientInterceptor.forTenant(retrievalAs("gateway"), "acme")
                .getMedia(media("other")),
        Status.Code.PERMISSION_DENIED);

    assertThat(refusals).containsExactly("tenant_mismatch/gateway");
  }

  @Test
  void aRequestWithoutATenantIsInvalidEvenWithAValidToken() throws Exception {
    assertCode(
        () ->
            CallTokenClientInterceptor.forTenant(retrievalAs("gateway"), "acme")
                .getMedia(media("")),
        Status.Code.INVALID_ARGUMENT);
    assertCode(() -> retrievalAs("gateway").getMedia(media("")), Status.Code.INVALID_ARGUMENT);

    // Named in a BadRequest, as the services' own refusals of a field are.
    StatusRuntimeException e =
        catchThrowableOfType(
            StatusRuntimeException.class, () -> retrievalAs("gateway").getMedia(media("")));
    BadRequest badRequest = StatusProto.fromThrowable(e).getDetails(0).unpack(BadRequest.class);
    assertThat(badRequest.getFieldViolations(0).getField()).isEqualTo("tenant");
  }

  @Test
  void withoutATenantFieldTheTokensTenantIsTheTenantAndIsRequired() {
    OcrResponse answer =
        CallTokenClientInterceptor.forTenant(generatorAs("gateway"), "acme")
            .ocr(OcrRequest.getDefaultInstance());

    assertThat(answer.getTexts(0).getText()).isEqualTo("acme");
    assertCode(
        () -> generatorAs("gateway").ocr(OcrRequest.getDefaultInstance()),
        Status.Code.INVALID_ARGUMENT);
  }

  @Test
  void aTokenForOneApiIsRefusedByAnother() {
    // Minted by hand for the generator, sent to retrieval: the audience differs.
    Metadata headers = new Metadata();
    headers.put(
        CallTokenServerInterceptor.AUTHORIZATION,
        "Bearer " + new CallTokens("gateway", KEYS).mint("generator-service", "acme"));

    assertCode(
        () ->
            RetrievalServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .getMedia(media("acme")),
        Status.Code.UNAUTHENTICATED);
    assertThat(refusals).containsExactly("wrong_audience/gateway");
  }

  private static void assertCode(Runnable call, Status.Code code) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(code);
              assertThat(e.getStatus().getDescription()).isNotBlank();
            });
  }
}
