package multimodal.modelimport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads the golden files model-import/reference/goldens.js wrote with TensorFlow.js. */
final class Golden {

  private Golden() {}

  static JsonNode resource(String name) {
    try (InputStream in = Golden.class.getResourceAsStream("/golden/" + name)) {
      if (in == null) throw new IllegalStateException("golden file " + name + " is missing");
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
