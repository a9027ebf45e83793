package multimodal.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.lang.reflect.Proxy;
import multimodal.gateway.config.GatewayConfig;
import multimodal.v1.GenerateRequest;
import org.junit.jupiter.api.Test;

/**
 * The per-tenant Generate quota ({@code gateway.generator.generate-per-minute}, {@code
 * generate-burst}): a tenant gets its burst at once, then RESOURCE_EXHAUSTED with the seconds to
 * wait; other tenants keep theirs, and a request out of bounds is refused without using any.
 */
class TextToImageQuotaTest {
  /** A burst of 2, then one call every 100 s (0.6 a minute): the third call at once is refused. */
  private final TextToImage textToImage = new TextToImage(null, null, config(0.6, 2));

  @Test
  void aTenantGetsItsBurstThenResourceExhaustedWithTheWait() {
    textToImage.admit("acme", request(4));
    textToImage.admit("acme", request(4));

    assertThatThrownBy(() -> textToImage.admit("acme", request(4)))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
              assertThat(e.getStatus().getDescription())
                  .contains("tenant acme", "gateway.generator.generate-per-minute");
              RetryInfo retry = retryInfo(e);
              assertThat(retry.getRetryDelay().getSeconds()).isBetween(90L, 100L);
            });
  }

  @Test
  void eachTenantHasItsOwnQuota() {
    textToImage.admit("acme", request(4));
    textToImage.admit("acme", request(4));

    assertThat(textToImage.admit("globex", request(4)).getSteps()).isEqualTo(4);
  }

  @Test
  void aRequestOutOfBoundsIsRefusedWithoutUsingTheQuota() {
    assertThatThrownBy(() -> textToImage.admit("acme", request(1_000)))
        .isInstanceOf(RequestRefused.class)
        .hasMessageContaining("steps");

    textToImage.admit("acme", request(4));
    textToImage.admit("acme", request(4));
  }

  private static GenerateRequest request(int steps) {
    return GenerateRequest.newBuilder()
        .setPrompt("a red square")
        .setSteps(steps)
        .setCandidates(1)
        .build();
  }

  private static RetryInfo retryInfo(StatusRuntimeException e) {
    return StatusProto.fromThrowable(e).getDetailsList().stream()
        .filter(any -> any.is(RetryInfo.class))
        .map(
            any -> {
              try {
                return any.unpack(RetryInfo.class);
              } catch (com.google.protobuf.InvalidProtocolBufferException x) {
                throw new AssertionError(x);
              }
            })
        .findFirst()
        .orElseThrow(() -> new AssertionError("no RetryInfo in " + e));
  }

  /** Only the quota's two settings are read by TextToImage's constructor. */
  private static GatewayConfig config(double perMinute, int burst) {
    GatewayConfig.Generator generator =
        (GatewayConfig.Generator)
            Proxy.newProxyInstance(
                TextToImageQuotaTest.class.getClassLoader(),
                new Class<?>[] {GatewayConfig.Generator.class},
                (proxy, method, args) ->
                    switch (method.getName()) {
                      case "generatePerMinute" -> perMinute;
                      case "generateBurst" -> burst;
                      default -> throw new UnsupportedOperationException(method.getName());
                    });
    return (GatewayConfig)
        Proxy.newProxyInstance(
            TextToImageQuotaTest.class.getClassLoader(),
            new Class<?>[] {GatewayConfig.class},
            (proxy, method, args) -> {
              if (method.getName().equals("generator")) {
                return generator;
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }
}
