package multimodal.retrieval;

import multimodal.v1.TenantId;

/**
 * The tenant a request is made for. Retrieval is an internal service: it cannot tell who is
 * calling, so it never guesses the tenant (an empty one used to mean "whichever tenant owns the
 * id", which let any caller read any tenant's item). The caller names it; the gateway sets its
 * caller's tenant on every request.
 */
public final class RequestTenant {
  private RequestTenant() {}

  /**
   * @throws InvalidRequestException (field {@code tenant}) when the tenant is empty or not a tenant
   *     name
   */
  public static String required(String tenant) {
    if (tenant == null || tenant.isEmpty()) {
      throw new InvalidRequestException(
          "tenant",
          "tenant is required: every request names the tenant whose items it reads (the gateway"
              + " sets its caller's)");
    }
    if (!TenantId.isValid(tenant)) {
      throw new InvalidRequestException("tenant", "tenant " + TenantId.message(tenant));
    }
    return tenant;
  }
}
