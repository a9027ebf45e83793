package multimodal.retrieval.grpc;

import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import multimodal.internalauth.CallTokenClientInterceptor;
import multimodal.retrieval.config.RetrievalConfig;
import multimodal.v1.RetrievalServiceGrpc;

/**
 * The shards a replica fans out to ({@code retrieval.shard.peers}, this one included): one channel
 * each, and one call to all of them in parallel. Shared by every fanned-out RPC. Each call carries
 * a call token of retrieval-service for the request's tenant ({@link InternalCallTokens}): the
 * shards check it like any other caller's.
 */
@ApplicationScoped
public class ShardPeers {
  private final Duration timeout;
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final List<RetrievalServiceGrpc.RetrievalServiceBlockingStub> shards = new ArrayList<>();
  private final ExecutorService calls;

  @Inject
  ShardPeers(RetrievalConfig config, InternalCallTokens tokens) {
    this(config, (ClientInterceptor) tokens);
  }

  /** With {@code tokens} attaching the call token to every shard call. */
  ShardPeers(RetrievalConfig config, ClientInterceptor tokens) {
    this.timeout = config.shard().timeout();
    List<String> peers = config.shard().peers().orElse(List.of());
    for (String peer : peers) {
      ManagedChannel channel =
          ManagedChannelBuilder.forTarget(peer)
              .usePlaintext()
              .maxInboundMessageSize(64 << 20)
              .build();
      channels.add(channel);
      shards.add(
          RetrievalServiceGrpc.newBlockingStub(ClientInterceptors.intercept(channel, tokens)));
    }
    calls =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "shard-fan-out");
              t.setDaemon(true);
              return t;
            });
    if (!shards.isEmpty()) {
      Log.infof("queries fan out to %d shards: %s", shards.size(), peers);
    }
  }

  /** True when peers are configured: queries without shard_local fan out. */
  public boolean enabled() {
    return !shards.isEmpty();
  }

  /**
   * One call per shard for {@code tenant}, in parallel, each under the shard deadline; in shard
   * order.
   */
  <T> List<CompletableFuture<T>> ask(
      String tenant, Function<RetrievalServiceGrpc.RetrievalServiceBlockingStub, T> call) {
    List<CompletableFuture<T>> futures = new ArrayList<>();
    for (RetrievalServiceGrpc.RetrievalServiceBlockingStub shard : shards) {
      RetrievalServiceGrpc.RetrievalServiceBlockingStub withDeadline =
          CallTokenClientInterceptor.forTenant(shard, tenant)
              .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
      futures.add(CompletableFuture.supplyAsync(() -> call.apply(withDeadline), calls));
    }
    return futures;
  }

  /**
   * Every shard's answer for {@code tenant}, in shard order; a shard's error is thrown as it came.
   */
  <T> List<T> askAll(
      String tenant, Function<RetrievalServiceGrpc.RetrievalServiceBlockingStub, T> call) {
    return ask(tenant, call).stream().map(ShardPeers::join).toList();
  }

  /** A shard's answer, or its error as it came (a StatusRuntimeException keeps its details). */
  static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  @PreDestroy
  void close() {
    calls.shutdownNow();
    channels.forEach(ManagedChannel::shutdownNow);
  }
}
