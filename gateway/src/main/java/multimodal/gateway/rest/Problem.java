package multimodal.gateway.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An RFC 9457 problem details object, served as {@code application/problem+json}. */
@Schema(name = "Problem", description = "RFC 9457 problem details")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance) {
  public static final String MEDIA_TYPE = "application/problem+json";
  public static final MediaType JSON = MediaType.valueOf(MEDIA_TYPE);

  /** Problem type URIs of this API are {@code urn:multimodal:problem:<slug>}. */
  public static final String TYPE_PREFIX = "urn:multimodal:problem:";

  /** For plain HTTP errors whose status says it all (RFC 9457 §4.2.1). */
  public static final String BLANK = "about:blank";
}
