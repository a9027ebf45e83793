package multimodal.v1;

import java.util.regex.Pattern;

/**
 * The one tenant grammar of the platform: lower-case letters, digits and '-', starting with a
 * letter or digit, at most 63 characters. The ingest contract ({@code
 * schemas/media.ingest.v1.schema.json}, {@code data.tenant}) states the same pattern; a test keeps
 * the two equal. Every place that accepts a tenant name (API keys, events, headers) checks it here,
 * so a name the gateway takes is a name every consumer takes.
 *
 * <p>Why so narrow: tenant names end up in Kafka headers, Lucene terms, file names, metric tags and
 * URL query strings; lower case only means two spellings can never name one tenant.
 */
public final class TenantId {
  /** The grammar, as written in the schema (without the anchors). */
  public static final String GRAMMAR = "[a-z0-9][a-z0-9-]{0,62}";

  public static final Pattern PATTERN = Pattern.compile(GRAMMAR);

  private TenantId() {}

  public static boolean isValid(String tenant) {
    return tenant != null && PATTERN.matcher(tenant).matches();
  }

  /**
   * The tenant, unchanged, when it follows the grammar.
   *
   * @param where names the field or setting in the message, e.g. {@code data.tenant}
   * @throws InvalidFieldException naming the field, the grammar and the value
   */
  public static String requireValid(String tenant, String where) {
    if (!isValid(tenant)) {
      throw new InvalidFieldException(where, message(tenant), null);
    }
    return tenant;
  }

  /** "must match …, got '…'": the same words wherever a tenant is refused. */
  public static String message(String tenant) {
    return "must match "
        + GRAMMAR
        + " (lower-case letters, digits and '-', 1 to 63 characters, not starting with '-'),"
        + " got "
        + (tenant == null ? "nothing" : "'" + tenant + "'");
  }
}
