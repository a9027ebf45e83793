package multimodal.retrieval.grpc;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import multimodal.retrieval.config.RetrievalConfig;
import multimodal.v1.RetrievalServiceGrpc;

/**
 * The shards a replica fans out to ({@code retrieval.shard.peers}, this one included): one channel
 * each, and one call to all of them in parallel. Shared by every fanned-out RPC.
 */
@ApplicationScoped
public class ShardPeers {
  private final Duration timeout;
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final List<RetrievalServiceGrpc.RetrievalServiceBlockingStub> shards = new ArrayList<>();
  private final ExecutorService calls;

  ShardPeers(RetrievalConfig config) {
    this.timeout = config.shard().timeout();
    List<String> peers = config.shard().peers().orElse(List.of());
    for (String peer : peers) {
      ManagedChannel channel = ManagedChannelBuilder.forTarget(peer).usePlaintext().maxInboundMessageSize(64 << 20).build();
      channels.add(channel);
      shards.add(RetrievalServiceGrpc.newBlockingStub(channel));
    }
    calls = Executors.newCachedThreadPool(r -> {
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

  /** One call per shard, in parallel, each under the shard deadline; in shard order. */
  <T> List<CompletableFuture<T>> ask(Function<RetrievalServiceGrpc.RetrievalServiceBlockingStub, T> call) {
    List<CompletableFuture<T>> futures = new ArrayList<>();
    for (RetrievalServiceGrpc.RetrievalServiceBlockingStub shard : shards) {
      RetrievalServiceGrpc.RetrievalServiceBlockingStub withDeadline = shard.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
      futures.add(CompletableFuture.supplyAsync(() -> call.apply(withDeadline), calls));
    }
    return futures;
  }

  /** Every shard's answer, in shard order; a shard's error is thrown as it came. */
  <T> List<T> askAll(Function<RetrievalServiceGrpc.RetrievalServiceBlockingStub, T> call) {
    return ask(call).stream().map(ShardPeers::join).toList();
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
