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
import java.lang.reflect.Constructor;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import multimodal.v1.GeneratorService;
import multimodal.v1.GeneratorServiceBean;
import multimodal.v1.RetrievalService;
import multimodal.v1.RetrievalServiceBean;

/**
 * Serves {@link FakeRetrievalService} and {@link FakeGeneratorService} over real gRPC on
 * 127.0.0.1 (a free port) and points the gateway's clients at them. Not on the gateway's own
 * port: the gateway serves its own RetrievalService/GeneratorService proxies there. Test fields
 * annotated {@link InjectFake} receive the fakes.
 */
public class FakeBackendsTestResource implements QuarkusTestResourceLifecycleManager {
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.FIELD)
  public @interface InjectFake {}

  private final FakeRetrievalService retrieval = new FakeRetrievalService();
  private final FakeGeneratorService generator = new FakeGeneratorService();
  private Server server;

  @Override
  public Map<String, String> start() {
    ServerInterceptor tenantRecorder = this::recordTenant;
    try {
      server =
          NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
              .maxInboundMessageSize(32 * 1024 * 1024)
              .addService(bindable(RetrievalServiceBean.class, RetrievalService.class, retrieval))
              .addService(ServerInterceptors.intercept(bindable(GeneratorServiceBean.class, GeneratorService.class, generator), tenantRecorder))
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

  private <Q, R> ServerCall.Listener<Q> recordTenant(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    generator.tenant(headers.get(GeneratorClient.TENANT_KEY));
    return next.startCall(call, headers);
  }

  /**
   * The fakes implement the Mutiny service interfaces and are bound through the adapters the
   * proto module generated. They must not be BindableService classes themselves: Quarkus serves
   * every BindableService class it finds (test classes included) on the gateway's own port.
   */
  private static <S> BindableService bindable(Class<? extends BindableService> adapter, Class<S> api, S fake) {
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
    injector.injectIntoFields(retrieval, new TestInjector.AnnotatedAndMatchesType(InjectFake.class, FakeRetrievalService.class));
    injector.injectIntoFields(generator, new TestInjector.AnnotatedAndMatchesType(InjectFake.class, FakeGeneratorService.class));
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
