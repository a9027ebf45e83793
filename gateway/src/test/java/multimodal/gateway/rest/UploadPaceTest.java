package multimodal.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import multimodal.devkit.kafka.KafkaBrokerTestResource;
import multimodal.gateway.grpc.FakeBackendsTestResource;
import org.junit.jupiter.api.Test;

/**
 * The upload route's body pace ({@link BodyPace}), over a raw socket with a 1 s grace and a pace of
 * 4 KB/s: a client that declares a large video and trickles is cut off soon after the grace, while
 * one that keeps the pace may take longer than the grace.
 */
@QuarkusTest
@TestProfile(UploadPaceTest.ShortGrace.class)
@WithTestResource(KafkaBrokerTestResource.class)
@WithTestResource(FakeBackendsTestResource.class)
class UploadPaceTest {
  public static class ShortGrace implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("gateway.upload.body-timeout", "1s", "gateway.upload.min-body-rate", "4K");
    }
  }

  private static final String BOUNDARY = "pace";

  @Test
  void aTrickleUnderALargeDeclaredLengthIsCutOffSoonAfterTheGrace() throws IOException {
    // 100 MB at 4 KB/s would be allowed 7 hours by its declared length; its pace ends it.
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), 18080)) {
      socket.setSoTimeout(500);
      OutputStream out = socket.getOutputStream();
      out.write(head(100_000_000L).getBytes(StandardCharsets.US_ASCII));
      long started = System.nanoTime();
      String answer = "";
      while (answer.isEmpty() && System.nanoTime() - started < 20_000_000_000L) {
        try {
          out.write("--".getBytes(StandardCharsets.US_ASCII));
          out.flush();
        } catch (IOException closed) {
          // the gateway may close before the answer is read
        }
        answer = readAnswer(socket.getInputStream());
      }
      assertThat(answer).startsWith("HTTP/1.1 408").contains("min-body-rate");
      assertThat((System.nanoTime() - started) / 1_000_000_000L).isLessThan(10);
    }
  }

  @Test
  void anUploadThatKeepsThePaceMayTakeLongerThanTheGrace() throws IOException {
    byte[] file = new byte[12_000]; // not an image: the resource's 415 shows the body arrived whole
    java.util.Arrays.fill(file, (byte) 'x');
    String opening =
        "--"
            + BOUNDARY
            + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.bin\"\r\n"
            + "Content-Type: application/octet-stream\r\n\r\n";
    String closing = "\r\n--" + BOUNDARY + "--\r\n";
    long length = opening.length() + file.length + closing.length();
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), 18080)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(head(length).getBytes(StandardCharsets.US_ASCII));
      out.write(opening.getBytes(StandardCharsets.US_ASCII));
      // 6 KB/s, above the 4 KB/s pace: 2 s in all, twice the grace.
      for (int sent = 0; sent < file.length; sent += 1_500) {
        out.write(file, sent, Math.min(1_500, file.length - sent));
        out.flush();
        sleep(250);
      }
      out.write(closing.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String answer = readAnswer(socket.getInputStream());
      assertThat(answer).startsWith("HTTP/1.1 415");
    }
  }

  private static String head(long contentLength) {
    return "POST /v1/media HTTP/1.1\r\nHost: 127.0.0.1\r\nX-API-Key: "
        + TestKeys.DEFAULT
        + "\r\nContent-Type: multipart/form-data; boundary="
        + BOUNDARY
        + "\r\nContent-Length: "
        + contentLength
        + "\r\n\r\n";
  }

  /** What has arrived before the read times out ("" for nothing yet). */
  private static String readAnswer(InputStream in) throws IOException {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    try {
      int read;
      while ((read = in.read()) >= 0) {
        received.write(read);
        if (received.toString(StandardCharsets.US_ASCII).contains("\r\n\r\n")
            && in.available() == 0) {
          break;
        }
      }
    } catch (SocketTimeoutException e) {
      // nothing more for now
    }
    return received.toString(StandardCharsets.US_ASCII);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
