package multimodal.gateway.rest;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * The one route that takes audio and video ({@code POST /v1/media}): its body may be as large as
 * {@code gateway.upload.audio-video-max-bytes} and is streamed to disk (a multipart file part),
 * while every other route keeps the small body limit and pace.
 */
final class MediaUploadRoute {
  static final String PATH = "/v1/media";

  private MediaUploadRoute() {}

  static boolean matches(HttpServerRequest request) {
    String path = request.path();
    return request.method() == HttpMethod.POST && (PATH.equals(path) || (PATH + "/").equals(path));
  }
}
