package multimodal.gateway;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import multimodal.gateway.config.GatewayConfig;
import multimodal.v1.SearchFilter;
import multimodal.v1.SearchRequest;
import multimodal.v1.TenantId;

/**
 * Decides whether a search is a safe search. Retrieval's internal API filters only when asked; the
 * gateway asks on every search unless the request opts out or the tenant's default is off ({@code
 * gateway.safe-search.default}, {@code gateway.safe-search.tenants.<tenant>}).
 */
@ApplicationScoped
public class SafeSearchPolicy {
  private final boolean defaultOn;
  private final Map<String, Boolean> tenants;
  private final float threshold;

  @Inject
  SafeSearchPolicy(GatewayConfig config) {
    this(
        config.safeSearch().defaultOn(),
        config.safeSearch().tenants(),
        config.safeSearch().unsafeThreshold());
  }

  public SafeSearchPolicy(boolean defaultOn, Map<String, Boolean> tenants, float threshold) {
    if (!(threshold > 0 && threshold <= 1)) {
      throw new IllegalStateException(
          "gateway.safe-search.unsafe-threshold must be in (0, 1], got " + threshold);
    }
    // A setting for a name no key can carry would silently never apply.
    tenants.keySet().stream()
        .filter(tenant -> !TenantId.isValid(tenant))
        .findFirst()
        .ifPresent(
            tenant -> {
              throw new IllegalStateException(
                  "gateway.safe-search.tenants." + tenant + ": tenant " + TenantId.message(tenant));
            });
    this.defaultOn = defaultOn;
    this.tenants = Map.copyOf(tenants);
    this.threshold = threshold;
  }

  /** The tenant's default when a request says nothing. */
  public boolean defaultFor(String tenant) {
    return tenants.getOrDefault(tenant, defaultOn);
  }

  public float threshold() {
    return threshold;
  }

  /**
   * The request with safe search decided.
   *
   * @param requested true/false as the caller asked explicitly, or null for the tenant's default
   */
  public SearchRequest apply(String tenant, SearchRequest request, Boolean requested) {
    boolean on = requested != null ? requested : defaultFor(tenant);
    SearchFilter.Builder filter = request.getFilter().toBuilder().setSafe(on);
    // The caller's threshold was checked by RetrievalRequests, for REST and gRPC alike.
    if (on && filter.getUnsafeThreshold() == 0) {
      filter.setUnsafeThreshold(threshold);
    }
    SearchFilter built = filter.build();
    SearchRequest.Builder decided = request.toBuilder();
    if (built.equals(SearchFilter.getDefaultInstance())) {
      decided.clearFilter();
    } else {
      decided.setFilter(built);
    }
    return decided.build();
  }

  /** What a search answer tells the client: on or off, and the threshold the UI blurs above. */
  public SearchResult.SafeSearch describe(SearchRequest decided) {
    float used = decided.getFilter().getUnsafeThreshold();
    return new SearchResult.SafeSearch(decided.getFilter().getSafe(), used > 0 ? used : threshold);
  }
}
