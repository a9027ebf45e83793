package multimodal.gateway.rest;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;

/**
 * The API keys configured for tests (application.properties, %test): their SHA-256 is configured,
 * not they.
 */
public final class TestKeys {
  /** Tenant "default". */
  public static final String DEFAULT = "test-key-default";

  /** Tenant "other". */
  public static final String OTHER = "test-key-other";

  /** Tenant "limited": 2 requests, then one per 100 s. */
  public static final String LIMITED = "test-key-limited";

  /** Tenant "bulk": the fake retrieval knows every id of it at once. */
  public static final String BULK = "test-key-bulk";

  private TestKeys() {}

  /** A request as tenant "default". */
  public static RequestSpecification asDefault() {
    return given().header("X-API-Key", DEFAULT);
  }

  public static RequestSpecification asOther() {
    return given().header("X-API-Key", OTHER);
  }
}
