package multimodal.gateway.rest;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers a problem before the request's body has been read, then closes the connection: the unread
 * rest of the body would otherwise be parsed as the next request on it. For the routes that refuse
 * a request by its body's size or pace, ahead of the REST resources.
 */
final class UnreadBodyProblem {
  private UnreadBodyProblem() {}

  static void send(RoutingContext context, int status, String type, String title, String detail) {
    Problem problem =
        new Problem(Problem.TYPE_PREFIX + type, title, status, detail, context.request().path());
    context
        .response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
        .putHeader(HttpHeaders.CONNECTION, "close")
        .end(Json.encode(problem))
        .onComplete(done -> context.request().connection().close());
  }
}
