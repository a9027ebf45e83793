package multimodal.retrieval.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import multimodal.retrieval.InvalidRequestException;
import multimodal.retrieval.MediaNotFoundException;
import multimodal.retrieval.ModelVersion;
import multimodal.retrieval.config.RetrievalConfig;
import multimodal.retrieval.index.Bm25Statistics;
import multimodal.retrieval.index.LuceneMediaIndex;
import multimodal.retrieval.index.Vectors;
import multimodal.retrieval.search.MediaSearch;
import multimodal.retrieval.search.NearDuplicates;
import multimodal.v1.Embedding;
import multimodal.v1.GetMediaRequest;
import multimodal.v1.GetMediaResponse;
import multimodal.v1.SearchHit;
import multimodal.v1.SearchMode;
import multimodal.v1.SearchRequest;
import multimodal.v1.SearchResponse;
import multimodal.v1.SourceWeights;

/**
 * The query path over shards. A search first collects every shard's BM25 statistics of the query's
 * terms (and, for a media-id query, the item's vector) and sends their sum with the query
 * (Elasticsearch's dfs_query_then_fetch); then asks every shard (gRPC, {@code shard_local=true})
 * for each source's own ranked list, merges each list by the source's score, fuses the merged lists
 * exactly as one index would ({@link MediaSearch#fuse}) and removes near-duplicates in fused rank
 * order with the vectors the shards sent. Cosine scores are shard-independent and BM25 is scored
 * with index-wide statistics, so the answers equal a single index's. GetMedia asks every shard and
 * merges the partial answers.
 */
@ApplicationScoped
public class ShardFanOut {
  private final MediaSearch search;
  private final ShardPeers shards;
  private final RetrievalConfig config;

  ShardFanOut(MediaSearch search, ShardPeers shards, RetrievalConfig config) {
    this.search = search;
    this.shards = shards;
    this.config = config;
  }

  public boolean enabled() {
    return shards.enabled();
  }

  public SearchResponse search(SearchRequest request) {
    if (request.getQueryCase() == SearchRequest.QueryCase.QUERY_NOT_SET) {
      throw new InvalidRequestException("query", "set one of text, image, media_id, embedding");
    }
    if (request.getQueryCase() == SearchRequest.QueryCase.TEXT && request.getText().isBlank()) {
      throw new InvalidRequestException("text", "query text must not be empty");
    }
    MediaSearch.Plan plan = search.plan(request);
    int depth = plan.offset() + plan.k();
    int fetch = search.candidates(plan);
    SearchRequest prepared = prepare(request, plan);
    Map<MediaSearch.Source, List<CompletableFuture<SearchResponse>>> pending =
        new EnumMap<>(MediaSearch.Source.class);
    for (MediaSearch.Source source : plan.weights().keySet()) {
      SearchRequest perSource = singleSource(prepared, source, fetch, plan.dedupe() > 0);
      pending.put(source, shards.ask(perSource.getTenant(), shard -> shard.search(perSource)));
    }
    Map<MediaSearch.Source, List<LuceneMediaIndex.Scored>> lists =
        new EnumMap<>(MediaSearch.Source.class);
    Map<String, SearchHit> hits = new HashMap<>();
    SearchResponse first = null;
    // Model versions some shard answered with a fixture's vectors ("name@version").
    Set<String> fixtureModels = new HashSet<>();
    for (Map.Entry<MediaSearch.Source, List<CompletableFuture<SearchResponse>>> entry :
        pending.entrySet()) {
      String label = entry.getKey().label;
      List<LuceneMediaIndex.Scored> merged = new ArrayList<>();
      for (CompletableFuture<SearchResponse> future : entry.getValue()) {
        SearchResponse response = ShardPeers.join(future);
        if (first == null || first.getModelName().isEmpty()) {
          first = response;
        }
        if (response.getModelFixture()) {
          fixtureModels.add(response.getModelName() + "@" + response.getModelVersion());
        }
        for (SearchHit hit : response.getHitsList()) {
          Float score = hit.getSourceScoresMap().get(label);
          if (score != null) {
            merged.add(new LuceneMediaIndex.Scored(hit.getMediaId(), score));
            hits.putIfAbsent(hit.getMediaId(), hit);
          }
        }
      }
      merged.sort(LuceneMediaIndex.BY_SCORE_THEN_ID);
      lists.put(entry.getKey(), merged.subList(0, Math.min(fetch, merged.size())));
    }
    List<MediaSearch.Fused> fused = MediaSearch.fuse(lists, plan.weights(), config.search().rrfK());
    // As on one index: near-duplicates are dropped in fused rank order, before the page is cut.
    ModelVersion imageModel =
        plan.weights().containsKey(MediaSearch.Source.CLIP)
                && first != null
                && !first.getModelName().isEmpty()
            ? new ModelVersion(first.getModelName(), first.getModelVersion())
            : null;
    NearDuplicates duplicates = new NearDuplicates(plan.dedupe());
    List<SearchHit> ranked = new ArrayList<>();
    boolean more = false;
    for (MediaSearch.Fused f : fused) {
      SearchHit shardHit = hits.get(f.mediaId());
      if (plan.dedupe() > 0 && duplicates.isDuplicate(dedupeVector(shardHit, imageModel))) {
        continue;
      }
      if (ranked.size() == depth) {
        more = true;
        break;
      }
      SearchHit.Builder hit =
          shardHit.toBuilder()
              .setScore(f.score())
              .clearSourceScores()
              .clearImageVectors()
              .clearTextVector();
      if (plan.explain()) {
        hit.putAllSourceScores(f.sourceScores());
      }
      ranked.add(hit.build());
    }
    SearchResponse.Builder response = SearchResponse.newBuilder();
    if (first != null) {
      response
          .setModelName(first.getModelName())
          .setModelVersion(first.getModelVersion())
          .setModelFixture(
              fixtureModels.contains(first.getModelName() + "@" + first.getModelVersion()));
    }
    if (ranked.size() > plan.offset()) {
      response.addAllHits(ranked.subList(plan.offset(), ranked.size()));
    }
    if (more) {
      response.setNextPageToken(MediaSearch.nextPageToken(request, depth));
    }
    return response.build();
  }

  /**
   * The first phase (Elasticsearch's dfs phase), when the query needs it: every shard's BM25
   * statistics of the query's terms, summed and sent with the query, so each shard scores BM25 as
   * one index would; a media-id query becomes a query by the item's stored vector, taken from the
   * shard that holds the item.
   */
  private SearchRequest prepare(SearchRequest request, MediaSearch.Plan plan) {
    boolean bm25 = plan.weights().containsKey(MediaSearch.Source.BM25);
    boolean media = request.getQueryCase() == SearchRequest.QueryCase.MEDIA_ID;
    if (!bm25 && !media) {
      return request;
    }
    SearchRequest ask =
        request.toBuilder().clearPageToken().setShardLocal(true).setShardPrepare(true).build();
    List<SearchResponse> answers = shards.askAll(ask.getTenant(), shard -> shard.search(ask));
    SearchRequest.Builder prepared = request.toBuilder();
    if (bm25) {
      Bm25Statistics sum = Bm25Statistics.EMPTY;
      for (SearchResponse answer : answers) {
        sum = sum.plus(Bm25Statistics.fromProto(answer.getBm25Statistics()));
      }
      prepared.setBm25Statistics(sum.toProto());
    }
    if (media) {
      Embedding vector =
          answers.stream()
              .filter(SearchResponse::hasMediaVector)
              .map(SearchResponse::getMediaVector)
              .findFirst()
              .orElseThrow(
                  () ->
                      new MediaNotFoundException(
                          request.getMediaId(),
                          "media %s has no embedding in tenant %s on any shard"
                              .formatted(request.getMediaId(), plan.tenant())));
      prepared.setEmbedding(vector);
    }
    return prepared.build();
  }

  /** The vector near-duplicate removal compares a hit by (as {@link MediaSearch} on one index). */
  private static float[] dedupeVector(SearchHit hit, ModelVersion imageModel) {
    Map<ModelVersion, float[]> image = new HashMap<>();
    for (Embedding e : hit.getImageVectorsList()) {
      image.put(new ModelVersion(e.getModelName(), e.getModelVersion()), Vectors.values(e));
    }
    return NearDuplicates.vectorOf(
        image, hit.hasTextVector() ? Vectors.values(hit.getTextVector()) : null, imageModel);
  }

  /**
   * GetMedia over the shards: every shard answers from its own index and the partial answers are
   * merged ({@link ShardParts}). With equal partition counts on the input topics an item lives on
   * one shard; with unequal ones its ingest metadata, embeddings and caption may be on different
   * shards.
   */
  public GetMediaResponse getMedia(GetMediaRequest request) {
    if (request.getMediaId().isBlank()) {
      throw new InvalidRequestException("media_id", "media_id must not be empty");
    }
    GetMediaRequest ask = request.toBuilder().setShardLocal(true).build();
    List<GetMediaResponse> parts = new ArrayList<>();
    for (CompletableFuture<GetMediaResponse> future :
        shards.ask(ask.getTenant(), shard -> shard.getMedia(ask))) {
      try {
        parts.add(ShardPeers.join(future));
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
          throw e;
        }
      }
    }
    if (parts.isEmpty()) {
      throw new MediaNotFoundException(
          request.getMediaId(), "media " + request.getMediaId() + " is not in the index");
    }
    return ShardParts.merge(parts);
  }

  /** The request one shard answers for one source: that source alone, top `fetch`, explained. */
  private static SearchRequest singleSource(
      SearchRequest request, MediaSearch.Source source, int fetch, boolean vectors) {
    SearchRequest.Builder b =
        request.toBuilder()
            .clearPageToken()
            .setShardLocal(true)
            .setExplain(true)
            .setK(fetch)
            .clearWeights()
            .clearDedupeThreshold()
            .setIncludeVectors(vectors);
    switch (source) {
      case CLIP -> b.setMode(SearchMode.SEARCH_MODE_VECTOR).clearBm25Statistics();
      case BM25 ->
          b.setMode(SearchMode.SEARCH_MODE_TEXT)
              .setWeights(SourceWeights.newBuilder().setBm25(1).setDenseText(0));
      case DENSE_TEXT ->
          b.setMode(SearchMode.SEARCH_MODE_TEXT)
              .setWeights(SourceWeights.newBuilder().setBm25(0).setDenseText(1))
              .clearBm25Statistics();
    }
    return b.build();
  }
}
