package multimodal.devkit.pods;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Waits until every readiness probe of the manifests passes, as the kubelet would judge it (HTTP
 * 200–399, or a TCP connect). podman kube play does not run readiness probes, so the caller does;
 * with host networking every probe is on 127.0.0.1.
 */
public final class ReadinessProbes {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private static final String LOOPBACK = "127.0.0.1";

  private ReadinessProbes() {}

  /** The probes that do not pass yet (empty when all are ready). */
  public static List<PlatformManifests.Probe> failing(List<PlatformManifests.Probe> probes) {
    return failing(probes, probe -> LOOPBACK);
  }

  static List<PlatformManifests.Probe> failing(
      List<PlatformManifests.Probe> probes, Function<PlatformManifests.Probe, String> host) {
    List<PlatformManifests.Probe> failing = new ArrayList<>();
    for (PlatformManifests.Probe probe : probes) {
      if (!passes(probe, host.apply(probe))) {
        failing.add(probe);
      }
    }
    return failing;
  }

  /** Polls until all probes pass; throws, naming the failing ones, after {@code timeout}. */
  public static void awaitAll(List<PlatformManifests.Probe> probes, Duration timeout)
      throws InterruptedException {
    awaitAll(probes, probe -> LOOPBACK, timeout);
  }

  /** As {@link #awaitAll(List, Duration)}, each probe sent to the address {@code host} gives. */
  public static void awaitAll(
      List<PlatformManifests.Probe> probes,
      Function<PlatformManifests.Probe, String> host,
      Duration timeout)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    List<PlatformManifests.Probe> failing = failing(probes, host);
    while (!failing.isEmpty()) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("not ready after " + timeout + ": " + failing);
      }
      Thread.sleep(1000);
      failing = failing(failing, host);
    }
  }

  static boolean passes(PlatformManifests.Probe probe, String host) {
    if (probe.httpPath().isEmpty()) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(host, probe.port()), 1000);
        return true;
      } catch (IOException e) {
        return false;
      }
    }
    try {
      HttpResponse<Void> response =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create("http://" + host + ":" + probe.port() + probe.httpPath().get()))
                  .timeout(Duration.ofSeconds(3))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() >= 200 && response.statusCode() < 400;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
