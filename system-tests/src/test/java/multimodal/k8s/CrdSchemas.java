package multimodal.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The custom resource definitions vendored under k8s/crds/ (KEDA, Strimzi; see its README), as JSON
 * schemas that validate an object the way the API server would, and stricter: the API server
 * silently prunes a field its schema lacks, so every object schema that lists its properties (and
 * does not say {@code x-kubernetes-preserve-unknown-fields}) gets {@code additionalProperties:
 * false} here, and an unknown field fails instead of vanishing.
 */
final class CrdSchemas {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);

  private final Map<String, JsonSchema> byType = new HashMap<>();

  /**
   * Every served version of every CRD in {@code directory}, keyed {@code <group>/<version>/<kind>}.
   */
  static CrdSchemas load(Path directory) {
    CrdSchemas schemas = new CrdSchemas();
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        JsonNode crd = YAML.readTree(file.toFile());
        String group = crd.at("/spec/group").asText();
        String kind = crd.at("/spec/names/kind").asText();
        for (JsonNode version : crd.at("/spec/versions")) {
          if (version.path("served").asBoolean()) {
            JsonNode schema = version.at("/schema/openAPIV3Schema").deepCopy();
            closeObjects(schema);
            schemas.byType.put(
                group + "/" + version.path("name").asText() + "/" + kind,
                FACTORY.getSchema(schema));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return schemas;
  }

  boolean knows(JsonNode object) {
    return byType.containsKey(StrictKubernetesModels.typeOf(object));
  }

  /** Schema violations of {@code object} (empty when valid). */
  List<String> problems(JsonNode object) {
    JsonSchema schema = byType.get(StrictKubernetesModels.typeOf(object));
    if (schema == null) {
      return List.of(StrictKubernetesModels.typeOf(object) + ": no CRD vendored under k8s/crds");
    }
    return schema.validate(object).stream().map(ValidationMessage::getMessage).sorted().toList();
  }

  private static void closeObjects(JsonNode schema) {
    if (!(schema instanceof ObjectNode node)) {
      return;
    }
    boolean preservesUnknown = node.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    if (node.has("properties") && !preservesUnknown && !node.has("additionalProperties")) {
      node.put("additionalProperties", false);
    }
    // Only the places that hold schemas: "properties" maps field names to schemas.
    node.path("properties").forEach(CrdSchemas::closeObjects);
    closeObjects(node.path("items"));
    closeObjects(node.path("additionalProperties"));
    // Not into allOf/anyOf/oneOf/not: in a structural schema they only restate fields declared
    // beside them (e.g. Strimzi's "one of these two"), so closing them would refuse the others.
  }
}
