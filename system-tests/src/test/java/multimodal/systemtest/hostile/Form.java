package multimodal.systemtest.hostile;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

/** A multipart/form-data body: file parts and plain fields, as a browser or curl -F sends them. */
final class Form {
  private final String boundary = "----hostile-" + UUID.randomUUID();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  Form file(String field, String filename, String contentType, byte[] bytes) {
    part(
        "Content-Disposition: form-data; name=\""
            + field
            + "\"; filename=\""
            + filename
            + "\"\r\nContent-Type: "
            + contentType,
        bytes);
    return this;
  }

  Form field(String name, String value) {
    part(
        "Content-Disposition: form-data; name=\"" + name + "\"",
        value.getBytes(StandardCharsets.UTF_8));
    return this;
  }

  Form fields(Map<String, String> fields) {
    fields.forEach(this::field);
    return this;
  }

  private void part(String head, byte[] bytes) {
    out.writeBytes(("--" + boundary + "\r\n" + head + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    out.writeBytes(bytes);
    out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
  }

  String contentType() {
    return "multipart/form-data; boundary=" + boundary;
  }

  byte[] body() {
    ByteArrayOutputStream copy = new ByteArrayOutputStream();
    copy.writeBytes(out.toByteArray());
    copy.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return copy.toByteArray();
  }
}
