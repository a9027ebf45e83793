package multimodal.internalauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import multimodal.v1.GeneratorServiceGrpc;
import multimodal.v1.OcrRequest;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

/** The settings as the services' configuration gives them, through a real MicroProfile Config. */
class InternalAuthConfigTest {
  private static Config config(Map<String, String> properties) {
    return new SmallRyeConfigBuilder()
        .withSources(new PropertiesConfigSource(properties, "test", 100))
        .build();
  }

  @Test
  void theServerAcceptsTheClientOfTheSameKeyAndRefusesAnotherKeyAndAnotherCaller()
      throws Exception {
    Config generator =
        config(
            Map.of(
                SigningKeys.KEY_SETTING, CallTokenVerifierTest.KEY,
                SigningKeys.PREVIOUS_KEY_SETTING, "",
                InternalAuthConfig.CALLERS, "gateway"));
    List<String> refusals = new ArrayList<>();
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(
                ServerInterceptors.intercept(
                    new CallTokenInterceptorsTest.Generator(),
                    InternalAuthConfig.server(
                        InternalServices.GENERATOR,
                        generator,
                        (reason, caller) -> refusals.add(reason.label() + "/" + caller))))
            .build()
            .start();
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    try {
      String tenant =
          ocrAs(channel, InternalAuthConfig.client(InternalServices.GATEWAY, generator), "acme");
      Config otherKey = config(Map.of(SigningKeys.KEY_SETTING, CallTokenVerifierTest.OTHER_KEY));

      assertThat(tenant).isEqualTo("acme");
      assertThatThrownBy(
              () ->
                  ocrAs(
                      channel,
                      InternalAuthConfig.client(InternalServices.GATEWAY, otherKey),
                      "acme"))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
      assertThatThrownBy(
              () ->
                  ocrAs(
                      channel,
                      InternalAuthConfig.client(InternalServices.RETRIEVAL, generator),
                      "acme"))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
      assertThat(refusals).hasSize(2);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static String ocrAs(ManagedChannel channel, ClientInterceptor tokens, String tenant) {
    return CallTokenClientInterceptor.forTenant(
            GeneratorServiceGrpc.newBlockingStub(channel).withInterceptors(tokens), tenant)
        .ocr(OcrRequest.getDefaultInstance())
        .getTexts(0)
        .getText();
  }

  @Test
  void aMissingKeyStopsTheServiceNamingTheSetting() {
    Config config = config(Map.of(InternalAuthConfig.CALLERS, "gateway"));

    assertThatThrownBy(
            () -> InternalAuthConfig.server(InternalServices.ENCODER, config, (r, c) -> {}))
        .hasMessageContaining(SigningKeys.KEY_SETTING);
    assertThatThrownBy(() -> InternalAuthConfig.client(InternalServices.GATEWAY, config))
        .hasMessageContaining(SigningKeys.KEY_SETTING);
  }

  @Test
  void aServingServiceWithoutCallersDoesNotStart() {
    Config config = config(Map.of(SigningKeys.KEY_SETTING, CallTokenVerifierTest.KEY));

    assertThatThrownBy(
            () -> InternalAuthConfig.server(InternalServices.ENCODER, config, (r, c) -> {}))
        .isInstanceOf(NoSuchElementException.class)
        .hasMessageContaining(InternalAuthConfig.CALLERS);
  }
}
