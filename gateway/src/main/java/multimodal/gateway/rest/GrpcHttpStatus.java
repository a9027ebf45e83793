package multimodal.gateway.rest;

import io.grpc.Status;

/** How a gRPC status from a backend service shows up at the REST front door. */
public final class GrpcHttpStatus {
  private GrpcHttpStatus() {}

  public static int of(Status.Code code) {
    return switch (code) {
      case INVALID_ARGUMENT, OUT_OF_RANGE -> 400;
      case NOT_FOUND -> 404;
      case RESOURCE_EXHAUSTED -> 429;
      case UNAVAILABLE -> 503;
      case DEADLINE_EXCEEDED -> 504;
      case UNIMPLEMENTED -> 501;
      // The backend failed (INTERNAL, UNKNOWN, DATA_LOSS, ...) or the gateway called it wrongly:
      // either way it is not the REST client's fault.
      default -> 502;
    };
  }
}
