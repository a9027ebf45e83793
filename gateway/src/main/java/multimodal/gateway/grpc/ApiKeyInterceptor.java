package multimodal.gateway.grpc;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import multimodal.gateway.auth.ApiKeyRegistry;
import multimodal.gateway.auth.Caller;

/**
 * The public gRPC API's API key check: metadata {@code x-api-key} names the caller (and so the
 * tenant), with the same per-key rate limit as REST. Registered on the public services only, so
 * {@code grpc.health.v1} and server reflection stay open.
 */
@ApplicationScoped
public class ApiKeyInterceptor implements ServerInterceptor {
  public static final Metadata.Key<String> API_KEY =
      Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);
  static final Context.Key<Caller> CALLER = Context.key("multimodal.caller");

  private final ApiKeyRegistry keys;

  ApiKeyInterceptor(ApiKeyRegistry keys) {
    this.keys = keys;
  }

  /** The caller of the current gRPC call (set by this interceptor). */
  public static Caller caller() {
    Caller caller = CALLER.get();
    if (caller == null) {
      throw Status.UNAUTHENTICATED.withDescription("no API key on this call").asRuntimeException();
    }
    return caller;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    Optional<Caller> caller = keys.authenticate(headers.get(API_KEY));
    if (caller.isEmpty()) {
      call.close(
          Status.UNAUTHENTICATED.withDescription(
              "a valid API key is required (metadata x-api-key)"),
          new Metadata());
      return new ServerCall.Listener<>() {};
    }
    long retryAfter = keys.acquire(caller.get());
    if (retryAfter > 0) {
      com.google.rpc.Status status =
          com.google.rpc.Status.newBuilder()
              .setCode(Code.RESOURCE_EXHAUSTED_VALUE)
              .setMessage("the request rate of this API key is exceeded")
              .addDetails(
                  Any.pack(
                      RetryInfo.newBuilder()
                          .setRetryDelay(Duration.newBuilder().setSeconds(retryAfter))
                          .build()))
              .build();
      var exception = StatusProto.toStatusRuntimeException(status);
      call.close(exception.getStatus(), exception.getTrailers());
      return new ServerCall.Listener<>() {};
    }
    return Contexts.interceptCall(
        Context.current().withValue(CALLER, caller.get()), call, headers, next);
  }
}
