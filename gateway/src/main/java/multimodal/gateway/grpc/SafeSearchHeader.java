package multimodal.gateway.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;

/**
 * Reads the public Search's safe-search choice from metadata {@value #HEADER} ({@code on} or {@code
 * off}). A proto3 bool cannot say "unset", so {@code SearchFilter.safe = false} alone means "the
 * tenant's default" (on unless configured off); opting out takes this header.
 */
@ApplicationScoped
public class SafeSearchHeader implements ServerInterceptor {
  public static final String HEADER = "x-safe-search";
  public static final Metadata.Key<String> KEY =
      Metadata.Key.of(HEADER, Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<Boolean> CHOICE = Context.key("multimodal.safe-search");

  /** The caller's explicit choice: true (on), false (off), or null when the header is absent. */
  static Boolean choice() {
    return CHOICE.get();
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String value = headers.get(KEY);
    if (value == null) {
      return next.startCall(call, headers);
    }
    Boolean choice =
        switch (value.strip().toLowerCase(Locale.ROOT)) {
          case "on", "true" -> true;
          case "off", "false" -> false;
          default -> null;
        };
    if (choice == null) {
      call.close(
          Status.INVALID_ARGUMENT.withDescription(
              "metadata " + HEADER + " must be 'on' or 'off', got '" + value + "'"),
          new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return Contexts.interceptCall(Context.current().withValue(CHOICE, choice), call, headers, next);
  }
}
