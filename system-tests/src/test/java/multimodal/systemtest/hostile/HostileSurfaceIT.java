package multimodal.systemtest.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import multimodal.systemtest.RunningPlatform;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the public port shows and how it holds up: management endpoints only on the management
 * ports, no tenant names in metrics, the security headers on the UI and the API, and a slow client
 * that cannot hold the gateway.
 */
@ExtendWith(HostileSuite.class)
class HostileSurfaceIT {
  private static HostileWorld world;

  @BeforeAll
  static void world(HostileWorld w) {
    world = w;
  }

  private static Rest at(int port) {
    return new Rest("http://127.0.0.1:" + port, null);
  }

  @ParameterizedTest(name = "{0}: /q/health and /q/metrics are 404 on the public port")
  @ValueSource(
      strings = {
        RunningPlatform.GATEWAY,
        RunningPlatform.ENCODER,
        RunningPlatform.GENERATOR,
        RunningPlatform.RETRIEVAL
      })
  void managementIsNotOnThePublicPort(String module) throws Exception {
    Rest publicPort = at(world.platform().port(module));
    Rest management = at(world.platform().managementPort(module));
    assertThat(publicPort.get("/q/metrics").statusCode()).isEqualTo(404);
    assertThat(publicPort.get("/q/health").statusCode()).isEqualTo(404);
    assertThat(management.get("/q/metrics").statusCode())
        .as("the control: served on the management port")
        .isEqualTo(200);
    assertThat(management.get("/q/health/ready").statusCode()).isEqualTo(200);
  }

  @Test
  void metricsNameNoTenantAfterTheTenantsWereRateLimitedAndRefused() throws Exception {
    // A tenant over its rate and a request without a valid key: the metrics count both without
    // names.
    Rest throttled = new Rest(world.gatewayUrl(), HostileWorld.THROTTLED_KEY);
    throttled.get("/v1/media/unknown-metrics-probe");
    HttpResponse<String> limited = throttled.get("/v1/media/unknown-metrics-probe");
    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.headers().firstValue("Retry-After")).isPresent();
    world.attacker().get("/v1/media/unknown-metrics-probe");
    assertThat(
            new Rest(world.gatewayUrl(), "not-a-key")
                .get("/v1/media/unknown-metrics-probe")
                .statusCode())
        .isEqualTo(401);
    String metrics =
        at(world.platform().managementPort(RunningPlatform.GATEWAY)).get("/q/metrics").body();
    assertThat(metrics).contains("gateway_auth_rejected").contains("gateway_auth_rate_limited");
    assertThat(metrics)
        .doesNotContain(HostileWorld.VICTIM_TENANT)
        .doesNotContain(HostileWorld.ATTACKER_TENANT)
        .doesNotContain(HostileWorld.THROTTLED_TENANT);
  }

  @ParameterizedTest(name = "{0} carries the security headers")
  @ValueSource(strings = {"/", "/app.js", "/v1/media/unknown", "/internal/blobs/0000"})
  void securityHeaders(String path) throws Exception {
    HttpResponse<String> answer = world.attacker().get(path);
    assertThat(answer.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(
            csp ->
                assertThat(csp)
                    .contains("default-src 'none'")
                    .contains("script-src 'self'")
                    .contains("frame-ancestors 'none'")
                    .doesNotContain("unsafe-inline"));
    assertThat(answer.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(answer.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    assertThat(answer.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
  }

  @Test
  void grpcHealthAndReflectionStayOpenOnThePublicPortWithoutAKey() throws Exception {
    multimodal.systemtest.PlatformClient.assertGrpcHealthAndReflection(
        RunningPlatform.GATEWAY, world.platform().port(RunningPlatform.GATEWAY));
  }

  @Test
  void aSlowLorisUploadIsCutOffWith408AndOthersAreServedMeanwhile() throws Exception {
    long started = System.nanoTime();
    String answer = "";
    try (Socket socket =
        new Socket(
            InetAddress.getLoopbackAddress(), world.platform().port(RunningPlatform.GATEWAY))) {
      socket.setSoTimeout(1000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v1/media HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: "
                  + HostileWorld.ATTACKER_KEY
                  + "\r\n"
                  + "Content-Type: multipart/form-data; boundary=x\r\n"
                  + "Content-Length: 1000000\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      // Meanwhile the gateway serves everybody else.
      CompletableFuture<Integer> other =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return world
                      .victim()
                      .get("/v1/media/" + world.victimItem().mediaId())
                      .statusCode();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      // Two bytes a second, for at most 30 s (the suite's gateway.upload.body-timeout is 5 s).
      for (int second = 0; second < 30; second++) {
        try {
          out.write("--".getBytes(StandardCharsets.US_ASCII));
          out.flush();
        } catch (SocketException e) {
          break; // closed by the gateway
        }
        try {
          int read;
          while ((read = in.read()) >= 0) {
            received.write(read);
          }
          break; // end of stream: the gateway closed the connection
        } catch (SocketTimeoutException e) {
          if (received.size() > 0) {
            continue; // part of the answer came; read the rest next round
          }
        } catch (SocketException e) {
          break;
        }
      }
      answer = received.toString(StandardCharsets.US_ASCII);
      assertThat(other.get(30, TimeUnit.SECONDS)).isEqualTo(200);
    }
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
    System.out.printf("slow upload ended after %d s%n", seconds);
    assertThat(answer).startsWith("HTTP/1.1 408").contains("request-timeout");
    assertThat(world.platform().allReady()).isTrue();
  }
}
