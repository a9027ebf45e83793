package multimodal.gateway.grpc;

import io.grpc.BindableService;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Constructor;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import multimodal.internalauth.CallTokenServerInterceptor;
import multimodal.internalauth.InternalCall;
import multimodal.internalauth.InternalServices;
import multimodal.v1.GeneratorService;
import multimodal.v1.GeneratorServiceBean;
import multimodal.v1.RetrievalService;
import multimodal.v1.RetrievalServiceBean;

/**
 * Serves {@link FakeRetrievalService} and {@link FakeGeneratorService} over real gRPC on 127.0.0.1
 * (a free port) and points the gateway's clients at them. Not on the gateway's own port: the
 * gateway serves its own RetrievalService/GeneratorService proxies there. Test fields annotated
 * {@link InjectFake} receive the fakes.
 *
 * <p>Both sit behind the real service-to-service check of the workers ({@link
 * CallTokenServerInterceptor}, with the gateway's test key): a call the gateway makes without a
 * valid token, or with a token whose tenant is not the request's, fails as it would in production.
 * Refusals are kept in {@link #REFUSALS} for the tests that prove it.
 */
public class FakeBackendsTestResource implements QuarkusTestResourceLifecycleManager {
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.FIELD)
  public @interface InjectFake {}

  /** The %test value of multimodal.internal-auth.key in the gateway's application.properties. */
  static final String INTERNAL_AUTH_KEY = "test-internal-auth-key-0123456789abcdef-0123";

  /** Every refused backend call, as "reason/caller". */
  public static final List<String> REFUSALS = new CopyOnWriteArrayList<>();

  private final FakeRetrievalService retrieval = new FakeRetrievalService();
  private final FakeGeneratorService generator = new FakeGeneratorService();
  private Server server;

  @Override
  public Map<String, String> start() {
    ServerInterceptor retrievalRecorder = this::recordRetrievalCall;
    ServerInterceptor generatorRecorder = this::recordGeneratorCall;
    try {
      server =
          NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
              .maxInboundMessageSize(32 * 1024 * 1024)
              .addService(
                  ServerInterceptors.intercept(
                      bindable(RetrievalServiceBean.class, RetrievalService.class, retrieval),
                      retrievalRecorder,
                      guard(InternalServices.RETRIEVAL)))
              .addService(
                  ServerInterceptors.intercept(
                      bindable(GeneratorServiceBean.class, GeneratorService.class, generator),
                      generatorRecorder,
                      guard(InternalServices.GENERATOR)))
              .build()
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the fake backends", e);
    }
    String port = Integer.toString(server.getPort());
    return Map.of(
        "quarkus.grpc.clients.retrieval.host", "127.0.0.1",
        "quarkus.grpc.clients.retrieval.port", port,
        "quarkus.grpc.clients.retrieval.test-port", port,
        "quarkus.grpc.clients.generator.host", "127.0.0.1",
        "quarkus.grpc.clients.generator.port", port,
        "quarkus.grpc.clients.generator.test-port", port);
  }

  /** The check retrieval-service and generator-service apply: callers gateway, tenant required. */
  private static ServerInterceptor guard(String service) {
    return CallTokenServerInterceptor.configured(
        service,
        Optional.of(INTERNAL_AUTH_KEY),
        Optional.empty(),
        List.of(InternalServices.GATEWAY),
        (reason, caller) -> REFUSALS.add(reason.label() + "/" + caller));
  }

  private <Q, R> ServerCall.Listener<Q> recordRetrievalCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    retrieval.called(InternalCall.current());
    return next.startCall(call, headers);
  }

  private <Q, R> ServerCall.Listener<Q> recordGeneratorCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    generator.tenant(InternalCall.currentTenant());
    return next.startCall(call, headers);
  }

  /**
   * The fakes implement the Mutiny service interfaces and are bound through the adapters the proto
   * module generated. They must not be BindableService classes themselves: Quarkus serves every
   * BindableService class it finds (test classes included) on the gateway's own port.
   */
  private static <S> BindableService bindable(
      Class<? extends BindableService> adapter, Class<S> api, S fake) {
    try {
      Constructor<? extends BindableService> constructor = adapter.getDeclaredConstructor(api);
      constructor.setAccessible(true);
      return constructor.newInstance(fake);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot adapt " + fake, e);
    }
  }

  @Override
  public void inject(TestInjector injector) {
    injector.injectIntoFields(
        retrieval,
        new TestInjector.AnnotatedAndMatchesType(InjectFake.class, FakeRetrievalService.class));
    injector.injectIntoFields(
        generator,
        new TestInjector.AnnotatedAndMatchesType(InjectFake.class, FakeGeneratorService.class));
  }

  @Override
  public void stop() {
    if (server != null) {
      server.shutdownNow();
      try {
        server.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
