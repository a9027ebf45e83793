package multimodal.gateway.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.StatusRuntimeException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.util.Locale;

/** The streamed endpoints' Server-Sent Events: JSON events by name, and a failure midway. */
final class SseEvents {
  private SseEvents() {}

  static OutboundSseEvent event(Sse sse, ObjectMapper json, String name, Object data) {
    try {
      return sse.newEventBuilder()
          .name(name)
          .mediaType(MediaType.APPLICATION_JSON_TYPE)
          .data(json.writeValueAsString(data))
          .build();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write an SSE event", e);
    }
  }

  /**
   * A failure after the stream started, as the problem object of its {@code error} event: a
   * backend's 4xx says what was wrong, a 5xx only which service failed.
   *
   * @param title e.g. "Answer failed"
   * @param backend the service named in a 5xx's detail, e.g. "generator"
   */
  static Problem problemOf(Throwable error, String title, String backend, String path) {
    if (error instanceof StatusRuntimeException status) {
      int http = GrpcHttpStatus.of(status.getStatus().getCode());
      String slug =
          "upstream-"
              + status.getStatus().getCode().name().toLowerCase(Locale.ROOT).replace('_', '-');
      String detail =
          http >= 500
              ? "the " + backend + " failed (" + status.getStatus().getCode() + ")"
              : status.getStatus().getDescription();
      return new Problem(Problem.TYPE_PREFIX + slug, title, http, detail, path);
    }
    return new Problem(Problem.BLANK, "Internal Server Error", 500, "the stream failed", path);
  }
}
