package multimodal.v1.ingest;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import multimodal.v1.TenantId;

/**
 * Which tenants each producer may write on media.ingest.v1: producer (the record's CloudEvents
 * {@code source}) → allowed tenants, {@value #ANY} for all. Every consumer of the topic applies the
 * same rule from the same configuration ({@code <prefix>.producers."<source>".tenants}) and
 * dead-letters what it refuses, with the reason.
 *
 * <p>What it proves: Kafka gives a consumer no authenticated principal of a record's producer, and
 * {@code source} is whatever the producer wrote. So the rule holds only together with the cluster's
 * ACLs (docs/security.md, "Tenancy in the index and on the topics"): it keeps honest producers to
 * their tenants and catches mistakes; it does not stop a producer that may write the topic at all
 * from naming another producer's source.
 *
 * <p>No producers configured = {@link #open()}: any producer may write any tenant, the behaviour of
 * a local single-tenant run and unsafe on a cluster shared by tenants.
 */
public final class ProducerTenants {
  /** A record whose producer may not write its tenant: the message is the dead-letter reason. */
  public static final class ProducerNotAllowedException extends InvalidIngestEventException {
    ProducerNotAllowedException(String reason) {
      super(reason);
    }
  }

  /** In a producer's tenant list: every tenant. */
  public static final String ANY = "*";

  private final Map<String, Set<String>> allowed;

  private ProducerTenants(Map<String, Set<String>> allowed) {
    this.allowed = allowed;
  }

  /**
   * One producer's entry in a service's configuration, {@code
   * <prefix>.producers."<source>".tenants} (a SmallRye config mapping group: every consumer
   * declares {@code Map<String, Setting> producers()}).
   */
  public interface Setting {
    /** Tenants the producer may write; {@value #ANY} for all. */
    List<String> tenants();
  }

  /** The rule of a service's {@code <where>} settings (empty = {@link #open()}). */
  public static ProducerTenants fromSettings(
      Map<String, ? extends Setting> settings, String where) {
    Map<String, List<String>> bySource = new TreeMap<>();
    settings.forEach((source, setting) -> bySource.put(source, setting.tenants()));
    return of(bySource, where);
  }

  /**
   * The configuration properties of a rule under {@code where} (e.g. {@code encoder.producers}):
   * {@code <where>."<source>".tenants=<tenants>}, the source quoted because it holds '/'.
   *
   * @param tenantsBySource source → comma-separated tenants, or {@value #ANY}
   */
  public static Map<String, String> properties(String where, Map<String, String> tenantsBySource) {
    Map<String, String> properties = new TreeMap<>();
    tenantsBySource.forEach(
        (source, tenants) -> properties.put(where + ".\"" + source + "\".tenants", tenants));
    return properties;
  }

  /** The start-up warning of a service whose producers are not restricted. */
  public static String openWarning(String where) {
    return where
        + " is not set: any producer of media.ingest.v1 may write (and delete) any tenant's items;"
        + " set it on a cluster shared by tenants (docs/security.md)";
  }

  /** No rule: every producer may write every tenant. */
  public static ProducerTenants open() {
    return new ProducerTenants(Map.of());
  }

  /**
   * @param tenantsBySource CloudEvents source → tenants it may write ({@value #ANY} for all); empty
   *     = {@link #open()}
   * @param where the configuration prefix, for messages (e.g. {@code retrieval.producers})
   * @throws IllegalArgumentException naming the setting when a tenant is not a tenant name or a
   *     list is empty
   */
  public static ProducerTenants of(
      Map<String, ? extends Collection<String>> tenantsBySource, String where) {
    Map<String, Set<String>> allowed = new TreeMap<>();
    tenantsBySource.forEach(
        (source, tenants) -> {
          String setting = where + ".\"" + source + "\".tenants";
          if (source.isBlank()) {
            throw new IllegalArgumentException(
                setting + ": the producer's source must not be empty");
          }
          if (tenants.isEmpty()) {
            throw new IllegalArgumentException(
                setting + ": name at least one tenant, or " + ANY + " for all");
          }
          for (String tenant : tenants) {
            if (!ANY.equals(tenant) && !TenantId.isValid(tenant)) {
              throw new IllegalArgumentException(setting + ": tenant " + TenantId.message(tenant));
            }
          }
          allowed.put(source, Set.copyOf(new TreeSet<>(tenants)));
        });
    return new ProducerTenants(Map.copyOf(allowed));
  }

  /** True when producers are restricted (at least one is configured). */
  public boolean enforced() {
    return !allowed.isEmpty();
  }

  /**
   * @param source the record's CloudEvents source; null when the record names none (a tombstone
   *     without {@code ce_source})
   * @throws ProducerNotAllowedException the dead-letter reason, when the producer may not write the
   *     tenant
   */
  public void check(String source, String tenant) {
    if (!enforced()) {
      return;
    }
    if (source == null || source.isEmpty()) {
      throw new ProducerNotAllowedException(
          "the record names no producer (CloudEvents source; on a tombstone the ce_source header),"
              + " and only configured producers may write");
    }
    Set<String> tenants = allowed.get(source);
    if (tenants == null) {
      throw new ProducerNotAllowedException(
          "producer '" + source + "' is not allowed to write any tenant");
    }
    if (!tenants.contains(ANY) && !tenants.contains(tenant)) {
      throw new ProducerNotAllowedException(
          "producer '"
              + source
              + "' is not allowed to write tenant '"
              + tenant
              + "' (allowed: "
              + String.join(", ", new TreeSet<>(tenants))
              + ")");
    }
  }
}
