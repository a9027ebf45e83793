package multimodal.systemtest;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** A multipart/form-data body with one file part, as a browser or curl -F would send it. */
record Multipart(String boundary, byte[] body) {
  static Multipart ofFile(String field, String filename, String contentType, byte[] bytes) {
    String boundary = "----mm-" + UUID.randomUUID();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String head =
        "--"
            + boundary
            + "\r\n"
            + "Content-Disposition: form-data; name=\""
            + field
            + "\"; filename=\""
            + filename
            + "\"\r\n"
            + "Content-Type: "
            + contentType
            + "\r\n\r\n";
    out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(bytes);
    out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return new Multipart(boundary, out.toByteArray());
  }

  String contentType() {
    return "multipart/form-data; boundary=" + boundary;
  }

  HttpRequest.BodyPublisher publisher() {
    return HttpRequest.BodyPublishers.ofByteArray(body);
  }
}
