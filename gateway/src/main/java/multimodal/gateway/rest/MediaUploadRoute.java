package multimodal.gateway.rest;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.util.Locale;

/**
 * The one route that takes audio and video ({@code POST /v1/media} with a multipart body; the same
 * path with a JSON body is the URL ingest, read into memory): its body may be as large as {@code
 * gateway.upload.audio-video-max-bytes} and is streamed to disk (a multipart file part), while
 * every other route keeps the small body limit and pace.
 */
final class MediaUploadRoute {
  static final String PATH = "/v1/media";

  private MediaUploadRoute() {}

  static boolean matches(HttpServerRequest request) {
    String path = request.path();
    String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
    return request.method() == HttpMethod.POST
        && (PATH.equals(path) || (PATH + "/").equals(path))
        && type != null
        && type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
  }
}
