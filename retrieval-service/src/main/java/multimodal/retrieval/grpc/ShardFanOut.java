package multimodal.retrieval.grpc;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import multimodal.retrieval.MediaSearch;
import multimodal.retrieval.config.RetrievalConfig;
import multimodal.retrieval.index.LuceneMediaIndex;
import multimodal.v1.RetrievalServiceGrpc;
import multimodal.v1.SearchHit;
import multimodal.v1.SearchMode;
import multimodal.v1.SearchRequest;
import multimodal.v1.SearchResponse;
import multimodal.v1.SourceWeights;

/**
 * The query path over shards: asks every shard (gRPC, {@code shard_local=true}) for each source's
 * own ranked list, merges each list by the source's score, and fuses the merged lists exactly as
 * one index would ({@link MediaSearch#fuse}). Cosine scores (CLIP, dense text) are comparable
 * across shards, so those results equal a single index's; BM25 uses each shard's own term
 * statistics, like Elasticsearch's default query-then-fetch.
 */
@ApplicationScoped
public class ShardFanOut {
  private final MediaSearch search;
  private final RetrievalConfig config;
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final List<RetrievalServiceGrpc.RetrievalServiceBlockingStub> shards = new ArrayList<>();
  private final ExecutorService calls;

  ShardFanOut(MediaSearch search, RetrievalConfig config) {
    this.search = search;
    this.config = config;
    for (String peer : config.shard().peers().orElse(List.of())) {
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
      Log.infof("searches fan out to %d shards: %s", shards.size(), config.shard().peers().orElse(List.of()));
    }
  }

  public boolean enabled() {
    return !shards.isEmpty();
  }

  public SearchResponse search(SearchRequest request) {
    if (request.getQueryCase() == SearchRequest.QueryCase.QUERY_NOT_SET) {
      throw new multimodal.retrieval.InvalidRequestException("query", "set one of text, image, media_id, embedding");
    }
    MediaSearch.Plan plan = search.plan(request);
    int depth = plan.offset() + plan.k();
    int fetch = depth + 1;
    Map<MediaSearch.Source, List<CompletableFuture<SearchResponse>>> pending = new EnumMap<>(MediaSearch.Source.class);
    for (MediaSearch.Source source : plan.weights().keySet()) {
      SearchRequest perSource = singleSource(request, source, fetch);
      List<CompletableFuture<SearchResponse>> futures = new ArrayList<>();
      for (RetrievalServiceGrpc.RetrievalServiceBlockingStub shard : shards) {
        futures.add(
            CompletableFuture.supplyAsync(
                () -> shard.withDeadlineAfter(config.shard().timeout().toMillis(), TimeUnit.MILLISECONDS).search(perSource),
                calls));
      }
      pending.put(source, futures);
    }
    Map<MediaSearch.Source, List<LuceneMediaIndex.Scored>> lists = new EnumMap<>(MediaSearch.Source.class);
    Map<String, SearchHit> hits = new HashMap<>();
    SearchResponse first = null;
    for (Map.Entry<MediaSearch.Source, List<CompletableFuture<SearchResponse>>> entry : pending.entrySet()) {
      String label = entry.getKey().label;
      List<LuceneMediaIndex.Scored> merged = new ArrayList<>();
      for (CompletableFuture<SearchResponse> future : entry.getValue()) {
        SearchResponse response = join(future);
        if (first == null || first.getModelName().isEmpty()) {
          first = response;
        }
        for (SearchHit hit : response.getHitsList()) {
          Float score = hit.getSourceScoresMap().get(label);
          if (score != null) {
            merged.add(new LuceneMediaIndex.Scored(hit.getMediaId(), score));
            hits.putIfAbsent(hit.getMediaId(), hit);
          }
        }
      }
      merged.sort(
          Comparator.comparing(LuceneMediaIndex.Scored::score).reversed().thenComparing(LuceneMediaIndex.Scored::mediaId));
      lists.put(entry.getKey(), merged.subList(0, Math.min(fetch, merged.size())));
    }
    List<MediaSearch.Fused> fused = MediaSearch.fuse(lists, plan.weights(), config.search().rrfK());
    SearchResponse.Builder response = SearchResponse.newBuilder();
    if (first != null) {
      response.setModelName(first.getModelName()).setModelVersion(first.getModelVersion());
    }
    for (int i = plan.offset(); i < Math.min(depth, fused.size()); i++) {
      MediaSearch.Fused f = fused.get(i);
      SearchHit.Builder hit = hits.get(f.mediaId()).toBuilder().setScore(f.score()).clearSourceScores();
      if (plan.explain()) {
        hit.putAllSourceScores(f.sourceScores());
      }
      response.addHits(hit);
    }
    if (fused.size() > depth) {
      response.setNextPageToken(MediaSearch.nextPageToken(request, depth));
    }
    return response.build();
  }

  /** The request one shard answers for one source: that source alone, top `fetch`, explained. */
  private static SearchRequest singleSource(SearchRequest request, MediaSearch.Source source, int fetch) {
    SearchRequest.Builder b =
        request.toBuilder().clearPageToken().setShardLocal(true).setExplain(true).setK(fetch).clearWeights();
    switch (source) {
      case CLIP -> b.setMode(SearchMode.SEARCH_MODE_VECTOR);
      case BM25 -> b.setMode(SearchMode.SEARCH_MODE_TEXT).setWeights(SourceWeights.newBuilder().setBm25(1).setDenseText(0));
      case DENSE_TEXT -> b.setMode(SearchMode.SEARCH_MODE_TEXT).setWeights(SourceWeights.newBuilder().setBm25(0).setDenseText(1));
    }
    return b.build();
  }

  private static SearchResponse join(CompletableFuture<SearchResponse> future) {
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
