package multimodal.v1.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import multimodal.v1.Limits;
import multimodal.v1.TenantId;

/**
 * Reads and writes media.ingest.v1 records: JSON CloudEvents 1.0 in structured mode (the whole
 * envelope in the value, content type {@code application/cloudevents+json}) or binary mode
 * (attributes in {@code ce_*} headers, the data object in the value), as the CloudEvents Kafka
 * protocol binding defines them. The schema is {@code schemas/media.ingest.v1.schema.json}.
 *
 * <p>Hand-written rather than the CloudEvents SDK's Kafka binding (docs/adr/0015), measured with
 * cloudevents-kafka 4.0.1: it takes structured mode only from a {@code content-type} header, so an
 * envelope sent without one (a plain {@code kcat -P}) is refused, where this codec recognises it by
 * the value; and its JSON format parses with Jackson's default 20 M character string cap, which the
 * base64 of a 16 MiB inline image (22.4 M) exceeds, with no way to pass our limit but a JVM-wide
 * default. The data object's checks would stay ours either way.
 */
public final class IngestEventCodec {
  public static final String STRUCTURED_CONTENT_TYPE = "application/cloudevents+json";
  public static final String CE_PREFIX = "ce_";
  private static final Pattern MEDIA_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  /**
   * Jackson's default string cap (20 M characters) is below the base64 of a 16 MiB image (22.4 M),
   * so such an event failed as "not valid JSON". The cap is the record limit instead: no string of
   * a record the broker carried reaches it, and an inline image over the image limit is refused by
   * the worker's decoder, by its size.
   */
  private final ObjectMapper json =
      new ObjectMapper(
          JsonFactory.builder()
              .streamReadConstraints(
                  StreamReadConstraints.builder()
                      .maxStringLength(Limits.JSON_MAX_STRING_CHARS)
                      .build())
              .build());

  private final ProducerTenants producers;

  /** A codec that lets any producer write any tenant (producers that encode; a local run). */
  public IngestEventCodec() {
    this(ProducerTenants.open());
  }

  /**
   * @param producers which tenants each producer may write; {@link #decode} refuses the rest
   */
  public IngestEventCodec(ProducerTenants producers) {
    this.producers = producers;
  }

  /**
   * Decodes one record and checks that its producer (CloudEvents {@code source}) may write its
   * tenant.
   *
   * @param key the Kafka key (media id), may be null
   * @param value the record value, not null (a null value is a tombstone, handled by the caller)
   * @param headers record headers by name (last value wins)
   * @throws InvalidIngestEventException naming what is wrong
   */
  public IngestEvent decode(String key, byte[] value, Map<String, byte[]> headers) {
    IngestEvent event = parse(key, value, headers);
    producers.check(event.source(), event.tenant());
    return event;
  }

  private IngestEvent parse(String key, byte[] value, Map<String, byte[]> headers) {
    if (value == null || value.length == 0) {
      throw new InvalidIngestEventException("empty record value");
    }
    JsonNode root = parse(value);
    boolean binaryMode = headers.containsKey(CE_PREFIX + "specversion");
    if (binaryMode) {
      Map<String, String> attributes = new LinkedHashMap<>();
      headers.forEach(
          (name, bytes) -> {
            if (name.startsWith(CE_PREFIX) && bytes != null) {
              attributes.put(
                  name.substring(CE_PREFIX.length()), new String(bytes, StandardCharsets.UTF_8));
            }
          });
      // In binary mode the data's content type is the Kafka content-type header.
      requireJsonData(
          headers.get("content-type") == null
              ? null
              : new String(headers.get("content-type"), StandardCharsets.UTF_8),
          "content-type header");
      return fromParts(key, attributes, root);
    }
    if (!root.isObject() || !root.has("specversion")) {
      throw new InvalidIngestEventException(
          "not a CloudEvent: structured mode needs a JSON object with 'specversion', binary mode"
              + " needs a ce_specversion header");
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    root.fields()
        .forEachRemaining(
            field -> {
              if (!field.getKey().equals("data") && field.getValue().isValueNode()) {
                attributes.put(field.getKey(), field.getValue().asText());
              }
            });
    requireJsonData(attributes.get("datacontenttype"), "datacontenttype");
    if (root.has("data_base64")) {
      throw new InvalidIngestEventException(
          "data_base64 is not supported: put the image in data.bytes (base64) or data.uri");
    }
    return fromParts(key, attributes, root.get("data"));
  }

  /** Encodes in structured mode (what the gateway writes). */
  public byte[] encodeStructured(IngestEvent event) {
    ObjectNode root = json.createObjectNode();
    root.put("specversion", "1.0");
    root.put("id", event.eventId());
    root.put("source", event.source());
    root.put("type", IngestEvent.TYPE);
    root.put("subject", event.mediaId());
    root.put("time", event.time().toString());
    root.put("datacontenttype", "application/json");
    root.set("data", dataNode(event));
    return write(root);
  }

  /** The value of a binary-mode record: the data object alone. */
  public byte[] encodeBinaryData(IngestEvent event) {
    return write(dataNode(event));
  }

  /** The headers of a binary-mode record. */
  public Map<String, String> binaryHeaders(IngestEvent event) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(CE_PREFIX + "specversion", "1.0");
    headers.put(CE_PREFIX + "id", event.eventId());
    headers.put(CE_PREFIX + "source", event.source());
    headers.put(CE_PREFIX + "type", IngestEvent.TYPE);
    headers.put(CE_PREFIX + "subject", event.mediaId());
    headers.put(CE_PREFIX + "time", event.time().toString());
    headers.put("content-type", "application/json");
    return headers;
  }

  private ObjectNode dataNode(IngestEvent event) {
    ObjectNode data = json.createObjectNode();
    data.put("mediaId", event.mediaId());
    data.put("tenant", event.tenant());
    if (event.contentType() != null) {
      data.put("contentType", event.contentType());
    }
    if (event.inline()) {
      data.put("bytes", Base64.getEncoder().encodeToString(event.data()));
    } else {
      data.put("uri", event.uri());
    }
    if (!event.metadata().isEmpty()) {
      ObjectNode metadata = data.putObject("metadata");
      event.metadata().forEach(metadata::put);
    }
    if (!event.tags().isEmpty()) {
      event.tags().forEach(data.putArray("tags")::add);
    }
    return data;
  }

  /**
   * The ingest schema's data is JSON: a declared content type must say so (parameters such as a
   * charset aside); absent means JSON, as CloudEvents' JSON format defines.
   */
  private static void requireJsonData(String contentType, String where) {
    if (contentType == null) {
      return;
    }
    String mediaType = contentType.split(";", 2)[0].strip();
    if (!mediaType.equalsIgnoreCase("application/json")) {
      throw new InvalidIngestEventException(
          where
              + " must be application/json (the event's data is the JSON object of the ingest"
              + " schema), got '"
              + contentType
              + "'");
    }
  }

  private IngestEvent fromParts(String key, Map<String, String> attributes, JsonNode data) {
    String specVersion = attributes.get("specversion");
    if (!"1.0".equals(specVersion)) {
      throw new InvalidIngestEventException(
          "unsupported CloudEvents specversion '" + specVersion + "', expected 1.0");
    }
    String id = required(attributes, "id");
    String source = required(attributes, "source");
    String type = required(attributes, "type");
    if (!IngestEvent.TYPE.equals(type)) {
      throw new InvalidIngestEventException(
          "unexpected event type '" + type + "', expected " + IngestEvent.TYPE);
    }
    Instant time = parseTime(attributes.get("time"));
    if (data == null || !data.isObject()) {
      throw new InvalidIngestEventException("'data' must be a JSON object");
    }
    String mediaId = text(data, "mediaId");
    if (mediaId == null) {
      mediaId = attributes.getOrDefault("subject", key);
    }
    if (mediaId == null || !MEDIA_ID.matcher(mediaId).matches()) {
      throw new InvalidIngestEventException(
          "data.mediaId must match " + MEDIA_ID.pattern() + ", got '" + mediaId + "'");
    }
    if (key != null && !key.equals(mediaId)) {
      throw new InvalidIngestEventException(
          "record key '" + key + "' differs from data.mediaId '" + mediaId + "'");
    }
    String tenant = text(data, "tenant");
    if (tenant == null) {
      tenant = IngestEvent.DEFAULT_TENANT;
    } else if (!TenantId.isValid(tenant)) {
      throw new InvalidIngestEventException("data.tenant " + TenantId.message(tenant));
    }
    String uri = text(data, "uri");
    String base64 = text(data, "bytes");
    if ((uri == null) == (base64 == null)) {
      throw new InvalidIngestEventException("exactly one of data.uri and data.bytes must be set");
    }
    byte[] bytes = null;
    if (base64 != null) {
      bytes = inlineImage(base64);
    }
    return new IngestEvent(
        id,
        source,
        time,
        mediaId,
        tenant,
        text(data, "contentType"),
        uri,
        bytes,
        stringMap(data.get("metadata")),
        stringList(data.get("tags")));
  }

  /** The inline image, refused by its size (the contract's limit) before and after decoding. */
  private static byte[] inlineImage(String base64) {
    if (base64.length() > Limits.INLINE_IMAGE_MAX_BASE64_CHARS) {
      throw overLimit("about " + base64.length() / 4 * 3);
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new InvalidIngestEventException("data.bytes is not valid base64: " + e.getMessage());
    }
    if (bytes.length == 0) {
      throw new InvalidIngestEventException("data.bytes is empty");
    }
    if (bytes.length > Limits.IMAGE_MAX_BYTES) {
      throw overLimit(Integer.toString(bytes.length));
    }
    return bytes;
  }

  private static InvalidIngestEventException overLimit(String size) {
    return new InvalidIngestEventException(
        "data.bytes is "
            + size
            + " bytes, over the platform's image limit of "
            + Limits.IMAGE_MAX_BYTES
            + " bytes; larger images cannot be ingested");
  }

  private static String required(Map<String, String> attributes, String name) {
    String value = attributes.get(name);
    if (value == null || value.isBlank()) {
      throw new InvalidIngestEventException("missing CloudEvents attribute '" + name + "'");
    }
    return value;
  }

  private static Instant parseTime(String value) {
    if (value == null) {
      return Instant.now();
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new InvalidIngestEventException("'time' is not an RFC 3339 timestamp: '" + value + "'");
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new InvalidIngestEventException("data." + field + " must be a string");
    }
    return value.asText();
  }

  private static Map<String, String> stringMap(JsonNode node) {
    Map<String, String> map = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return map;
    }
    if (!node.isObject()) {
      throw new InvalidIngestEventException("data.metadata must be an object of strings");
    }
    node.fields()
        .forEachRemaining(
            field -> {
              if (!field.getValue().isValueNode() || field.getValue().isNull()) {
                throw new InvalidIngestEventException(
                    "data.metadata." + field.getKey() + " must be a string, number or boolean");
              }
              map.put(field.getKey(), field.getValue().asText());
            });
    return map;
  }

  private static List<String> stringList(JsonNode node) {
    List<String> list = new ArrayList<>();
    if (node == null || node.isNull()) {
      return list;
    }
    if (!node.isArray()) {
      throw new InvalidIngestEventException("data.tags must be an array of strings");
    }
    for (JsonNode element : node) {
      if (!element.isTextual()) {
        throw new InvalidIngestEventException("data.tags must contain only strings");
      }
      list.add(element.asText());
    }
    return list;
  }

  private JsonNode parse(byte[] value) {
    try {
      return json.readTree(value);
    } catch (StreamConstraintsException e) {
      throw new InvalidIngestEventException(
          "record is over the platform's limits: "
              + e.getOriginalMessage()
              + "; inline data.bytes may hold at most "
              + Limits.IMAGE_MAX_BYTES
              + " bytes ("
              + Limits.INLINE_IMAGE_MAX_BASE64_CHARS
              + " base64 characters)");
    } catch (JsonProcessingException e) {
      throw new InvalidIngestEventException("value is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InvalidIngestEventException("value is not readable JSON: " + e.getMessage());
    }
  }

  private byte[] write(JsonNode node) {
    try {
      return json.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise ingest event", e);
    }
  }
}
