package multimodal.generator.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Deadline;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Gives every call an {@link io.grpc.Context} that is cancelled when the call is (client cancel,
 * stream reset, the caller's deadline) and that carries the caller's deadline.
 *
 * <p>grpc-java's own server does this for every call, but gRPC served on the HTTP port goes through
 * Vert.x's service bridge, which does neither: it only calls the listener's {@code onCancel}, and
 * Quarkus's Mutiny glue passes that on to a {@code Multi} but not to a {@code Uni}. Without this, a
 * cancelled unary Caption would generate to its end for nobody and the caller's deadline would not
 * be seen at all. The deadline comes from the {@code grpc-timeout} header (gRPC over HTTP/2 spec);
 * when the current context already has a sooner one, that one stays.
 */
@GlobalInterceptor
@ApplicationScoped
public class CallContextInterceptor implements ServerInterceptor {
  static final Metadata.Key<String> TIMEOUT =
      Metadata.Key.of("grpc-timeout", Metadata.ASCII_STRING_MARSHALLER);

  private static final ScheduledExecutorService DEADLINES =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "grpc-call-deadlines");
            thread.setDaemon(true);
            return thread;
          });

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    Long timeoutNanos = timeoutNanos(headers.get(TIMEOUT));
    Deadline deadline =
        timeoutNanos == null ? null : Deadline.after(timeoutNanos, TimeUnit.NANOSECONDS);
    Context.CancellableContext context =
        deadline == null
            ? Context.current().withCancellation()
            : Context.current().withDeadline(deadline, DEADLINES);
    ServerCall.Listener<Q> listener = Contexts.interceptCall(context, call, headers, next);
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onCancel() {
        try {
          super.onCancel();
        } finally {
          // A client whose deadline passed resets the stream: report that as the deadline.
          context.cancel(
              deadline != null && deadline.timeRemaining(TimeUnit.MILLISECONDS) < 500
                  ? new TimeoutException("the call's deadline passed")
                  : null);
        }
      }

      @Override
      public void onComplete() {
        try {
          super.onComplete();
        } finally {
          context.cancel(null);
        }
      }
    };
  }

  /**
   * The {@code grpc-timeout} header's value in nanoseconds: up to 8 digits and a unit ({@code H},
   * {@code M}, {@code S}, {@code m}, {@code u}, {@code n}); null when absent or malformed.
   */
  static Long timeoutNanos(String header) {
    if (header == null || header.length() < 2 || header.length() > 9) {
      return null;
    }
    long value;
    try {
      value = Long.parseLong(header.substring(0, header.length() - 1));
    } catch (NumberFormatException e) {
      return null;
    }
    if (value < 0) {
      return null;
    }
    TimeUnit unit =
        switch (header.charAt(header.length() - 1)) {
          case 'H' -> TimeUnit.HOURS;
          case 'M' -> TimeUnit.MINUTES;
          case 'S' -> TimeUnit.SECONDS;
          case 'm' -> TimeUnit.MILLISECONDS;
          case 'u' -> TimeUnit.MICROSECONDS;
          case 'n' -> TimeUnit.NANOSECONDS;
          default -> null;
        };
    return unit == null ? null : unit.toNanos(value);
  }
}
