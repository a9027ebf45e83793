package multimodal.retrieval.search;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import multimodal.retrieval.InvalidRequestException;
import multimodal.retrieval.MediaNotFoundException;
import multimodal.retrieval.ModelNotFoundException;
import multimodal.retrieval.ModelVersion;
import multimodal.retrieval.QueryEncoder;
import multimodal.retrieval.RequestTenant;
import multimodal.retrieval.config.RetrievalConfig;
import multimodal.retrieval.index.Bm25Statistics;
import multimodal.retrieval.index.IndexFields;
import multimodal.retrieval.index.LuceneMediaIndex;
import multimodal.retrieval.index.MediaItem;
import multimodal.retrieval.index.SearchFilters;
import multimodal.retrieval.index.Vectors;
import multimodal.v1.Embedding;
import multimodal.v1.SearchFilter;
import multimodal.v1.SearchMode;
import multimodal.v1.SearchRequest;
import org.apache.lucene.search.Query;

/**
 * Answers a search from the local index: picks the sources (CLIP vectors, BM25, dense sentence
 * vectors) for the query and mode, runs each under the filter, fuses them by weighted reciprocal
 * rank, removes near-duplicates and cuts the requested page. Blocking (index and encoder calls):
 * call it from a worker thread.
 */
@ApplicationScoped
public class MediaSearch {
  /** The sources a hit can come from (names as in SearchHit.source_scores). */
  public enum Source {
    CLIP("clip"),
    BM25("bm25"),
    DENSE_TEXT("dense_text");

    public final String label;

    Source(String label) {
      this.label = label;
    }
  }

  private final LuceneMediaIndex index;
  private final QueryEncoder encoder;
  private final RetrievalConfig.Search config;
  private final String textModel;
  private final float defaultUnsafeThreshold;
  private final MeterRegistry registry;

  public MediaSearch(
      LuceneMediaIndex index,
      QueryEncoder encoder,
      RetrievalConfig config,
      MeterRegistry registry) {
    this.index = index;
    this.encoder = encoder;
    this.config = config.search();
    this.textModel = config.encoder().textModel();
    this.defaultUnsafeThreshold = (float) config.safety().unsafeThreshold();
    if (!(defaultUnsafeThreshold > 0f && defaultUnsafeThreshold <= 1f)) {
      throw new IllegalArgumentException(
          "retrieval.safety.unsafe-threshold must be in (0, 1], got "
              + config.safety().unsafeThreshold());
    }
    this.registry = registry;
  }

  /** The validated, source-independent part of a request. */
  public record Plan(
      String tenant,
      int k,
      int offset,
      Map<Source, Float> weights,
      Query filter,
      float minScore,
      float dedupe,
      boolean explain) {}

  public SearchResult search(SearchRequest request) {
    String type = request.getQueryCase().name().toLowerCase(java.util.Locale.ROOT);
    return timed(type, () -> run(request));
  }

  /** Validates the request and decides the sources and their weights. */
  public Plan plan(SearchRequest request) {
    // A fan-out coordinator asks shards for as many hits of one source as a single index fetches.
    int k =
        effectiveK(
            request.getK(), request.getShardLocal() ? 2 * config.maxDepth() + 1 : config.maxK());
    int offset = PageTokens.offset(request);
    if (offset + k > Math.max(config.maxDepth(), k)) {
      throw new InvalidRequestException(
          "page_token", "results beyond rank " + config.maxDepth() + " are not served");
    }
    Map<Source, Float> weights = new EnumMap<>(Source.class);
    boolean textQuery = request.getQueryCase() == SearchRequest.QueryCase.TEXT;
    SearchMode mode = request.getMode();
    if (mode == SearchMode.UNRECOGNIZED) {
      throw new InvalidRequestException("mode", "unknown search mode");
    }
    if (!textQuery && mode == SearchMode.SEARCH_MODE_TEXT) {
      throw new InvalidRequestException("mode", "SEARCH_MODE_TEXT needs a text query");
    }
    boolean clip = !textQuery || mode != SearchMode.SEARCH_MODE_TEXT;
    boolean text = textQuery && mode != SearchMode.SEARCH_MODE_VECTOR;
    if (clip) {
      weights.put(
          Source.CLIP, request.getWeights().hasClip() ? request.getWeights().getClip() : 1f);
    }
    if (text) {
      weights.put(
          Source.BM25, request.getWeights().hasBm25() ? request.getWeights().getBm25() : 1f);
      if (!textModel.isEmpty()) {
        weights.put(
            Source.DENSE_TEXT,
            request.getWeights().hasDenseText() ? request.getWeights().getDenseText() : 1f);
      }
    }
    for (Map.Entry<Source, Float> w : weights.entrySet()) {
      if (w.getValue() < 0 || !Float.isFinite(w.getValue())) {
        throw new InvalidRequestException(
            "weights." + w.getKey().label, "weights must be finite and >= 0");
      }
    }
    weights.values().removeIf(w -> w == 0f);
    if (weights.isEmpty()) {
      throw new InvalidRequestException("weights", "every source of this mode has weight 0");
    }
    float dedupe = request.getDedupeThreshold();
    if (dedupe < 0 || dedupe > 1) {
      throw new InvalidRequestException("dedupe_threshold", "dedupe_threshold must be in [0, 1]");
    }
    String tenant = tenant(request.getTenant());
    SearchFilter f = request.getFilter();
    Query filter =
        SearchFilters.of(
            tenant,
            f.getTagsList(),
            f.hasIngestedAfter() ? instant(f.getIngestedAfter()) : null,
            f.hasIngestedBefore() ? instant(f.getIngestedBefore()) : null,
            f.getContentTypesList(),
            objects(f),
            safeSearch(f));
    float minScore = request.getMinScore() == 0f ? Float.NEGATIVE_INFINITY : request.getMinScore();
    return new Plan(tenant, k, offset, weights, filter, minScore, dedupe, request.getExplain());
  }

  private static List<String> objects(SearchFilter f) {
    for (String object : f.getObjectsList()) {
      if (object.isBlank()) {
        throw new InvalidRequestException("filter.objects", "object labels must not be empty");
      }
    }
    return f.getObjectsList();
  }

  /** Null when the request does not ask for safe search; the threshold is checked either way. */
  private SearchFilters.SafeSearch safeSearch(SearchFilter f) {
    float threshold = f.getUnsafeThreshold();
    if (!(threshold >= 0f && threshold <= 1f)) {
      throw new InvalidRequestException(
          "filter.unsafe_threshold",
          "unsafe_threshold must be in (0, 1] (0 = the service default), got " + threshold);
    }
    if (!f.getSafe()) {
      return null;
    }
    return new SearchFilters.SafeSearch(
        threshold == 0f ? defaultUnsafeThreshold : threshold, f.getExcludeUnscored());
  }

  private SearchResult run(SearchRequest request) {
    if (request.getQueryCase() == SearchRequest.QueryCase.QUERY_NOT_SET) {
      throw new InvalidRequestException("query", "set one of text, image, media_id, embedding");
    }
    if (request.getQueryCase() == SearchRequest.QueryCase.TEXT && request.getText().isBlank()) {
      throw new InvalidRequestException("text", "query text must not be empty");
    }
    Plan plan = plan(request);
    int depth = plan.offset() + plan.k();
    int fetch = candidates(plan);
    Map<Source, List<LuceneMediaIndex.Scored>> lists = new EnumMap<>(Source.class);
    ModelVersion answered = null;
    ModelVersion imageModel = null;
    float[] imageQuery = null;
    if (plan.weights().containsKey(Source.CLIP)) {
      QueryVector q = imageQuery(request, plan.tenant());
      imageModel = q.model();
      imageQuery = q.unit();
      answered = q.model();
      lists.put(
          Source.CLIP,
          index.imageKnn( // a video by the better of its mean and its best keyframe
              q.model(), q.unit(), fetch, config.efSearch(), plan.filter(), plan.minScore()));
    }
    if (plan.weights().containsKey(Source.BM25)) {
      Bm25Statistics statistics =
          request.hasBm25Statistics()
              ? Bm25Statistics.fromProto(request.getBm25Statistics())
              : null;
      lists.put(Source.BM25, index.bm25(request.getText(), fetch, plan.filter(), statistics));
    }
    if (plan.weights().containsKey(Source.DENSE_TEXT)) {
      Optional<QueryVector> q = sentenceQuery(request.getText());
      if (q.isPresent()) {
        answered = answered == null ? q.get().model() : answered;
        lists.put(
            Source.DENSE_TEXT,
            index.knn(
                IndexFields.textVectorField(q.get().model()),
                q.get().unit(),
                fetch,
                config.efSearch(),
                plan.filter(),
                plan.minScore()));
      }
    }
    List<Fused> fused = fuse(lists, plan.weights(), config.rrfK());
    Map<String, MediaItem> items =
        index.items(plan.tenant(), fused.stream().map(Fused::mediaId).toList());
    List<SearchResult.Hit> hits = new ArrayList<>();
    NearDuplicates duplicates = new NearDuplicates(plan.dedupe());
    boolean more = false;
    for (Fused f : fused) {
      MediaItem item = items.get(f.mediaId());
      if (item == null) {
        continue; // deleted between the searches
      }
      if (plan.dedupe() > 0 && duplicates.isDuplicate(dedupeVector(item, imageModel))) {
        continue;
      }
      if (hits.size() == depth) {
        more = true;
        break;
      }
      hits.add(
          new SearchResult.Hit(
              item,
              f.score(),
              plan.explain() ? f.sourceScores() : Map.of(),
              KeyframeMatches.best(item.keyframes(), imageModel, imageQuery)));
    }
    List<SearchResult.Hit> page =
        hits.size() <= plan.offset() ? List.of() : hits.subList(plan.offset(), hits.size());
    String next = more ? PageTokens.next(request, depth) : "";
    return new SearchResult(answered, List.copyOf(page), next);
  }

  /** The token of the page that starts at {@code offset}. */
  public static String nextPageToken(SearchRequest request, int offset) {
    return PageTokens.next(request, offset);
  }

  /** One fused candidate: its fused score and every source's own score. */
  public record Fused(String mediaId, float score, Map<String, Float> sourceScores) {}

  /**
   * Weighted reciprocal-rank fusion (Cormack et al. 2009): score = Σ w_s / (rrfK + rank_s), rank
   * from 1. A single source keeps its own scores and order. Ties go to the smaller media id, so the
   * order is deterministic (and the same on one index or over shards).
   */
  public static List<Fused> fuse(
      Map<Source, List<LuceneMediaIndex.Scored>> lists, Map<Source, Float> weights, int rrfK) {
    Map<String, Float> scores = new HashMap<>();
    Map<String, Map<String, Float>> sourceScores = new LinkedHashMap<>();
    boolean single = lists.size() == 1;
    for (Map.Entry<Source, List<LuceneMediaIndex.Scored>> list : lists.entrySet()) {
      float w = weights.getOrDefault(list.getKey(), 1f);
      int rank = 0;
      for (LuceneMediaIndex.Scored s : list.getValue()) {
        rank++;
        float contribution = single ? s.score() : w / (rrfK + rank);
        scores.merge(s.mediaId(), contribution, Float::sum);
        sourceScores
            .computeIfAbsent(s.mediaId(), id -> new LinkedHashMap<>())
            .put(list.getKey().label, s.score());
      }
    }
    List<Fused> fused = new ArrayList<>(scores.size());
    scores.forEach((id, score) -> fused.add(new Fused(id, score, sourceScores.get(id))));
    fused.sort(
        (a, b) ->
            a.score() != b.score()
                ? Float.compare(b.score(), a.score())
                : a.mediaId().compareTo(b.mediaId()));
    return fused;
  }

  /**
   * Candidates fetched per source for a plan: one more than the page's depth tells whether a next
   * page exists; near-duplicate removal needs spare candidates. The fan-out fetches as many from
   * every shard, so both see the same candidates.
   */
  public int candidates(Plan plan) {
    int depth = plan.offset() + plan.k();
    return plan.dedupe() > 0 ? Math.min(2 * depth + 1, 2 * config.maxDepth()) : depth + 1;
  }

  private static float[] dedupeVector(MediaItem item, ModelVersion imageModel) {
    Map<ModelVersion, float[]> image = new HashMap<>();
    item.imageVectors().forEach((model, v) -> image.put(model, v.vector()));
    return NearDuplicates.vectorOf(
        image, item.textVector() == null ? null : item.textVector().vector(), imageModel);
  }

  /** What one shard contributes to the first phase of a fanned-out search. */
  public record Prepared(Bm25Statistics bm25, QueryVector mediaVector) {}

  /**
   * The first phase of a fanned-out search on this shard: its BM25 statistics of the query's terms
   * (when BM25 answers the query) and, for a media-id query, the item's stored vector if this shard
   * holds it (else null).
   */
  public Prepared prepare(SearchRequest request) {
    Plan plan = plan(request);
    Bm25Statistics bm25 =
        plan.weights().containsKey(Source.BM25)
            ? index.bm25Statistics(request.getText())
            : Bm25Statistics.EMPTY;
    QueryVector mediaVector = null;
    if (request.getQueryCase() == SearchRequest.QueryCase.MEDIA_ID
        && plan.weights().containsKey(Source.CLIP)) {
      try {
        mediaVector = imageQuery(request, plan.tenant());
      } catch (MediaNotFoundException | ModelNotFoundException notHere) {
        // another shard holds it
      }
    }
    return new Prepared(bm25, mediaVector);
  }

  /** A unit query vector and the model version whose field it searches. */
  public record QueryVector(ModelVersion model, float[] unit) {}

  /** The CLIP query vector of a request, checked against the index's field. */
  public QueryVector imageQuery(SearchRequest request, String tenant) {
    String modelName = request.getModel();
    String version = request.getFilter().getModelVersion();
    QueryVector q =
        switch (request.getQueryCase()) {
          case TEXT -> fromEmbedding(encoder.encodeText(request.getText(), modelName), version);
          case IMAGE -> {
            if (request.getImage().getSourceCase()
                == multimodal.v1.ImageSource.SourceCase.SOURCE_NOT_SET) {
              throw new InvalidRequestException("image", "image needs data or uri");
            }
            yield fromEmbedding(encoder.encodeImage(request.getImage(), modelName), version);
          }
          case MEDIA_ID -> {
            if (request.getMediaId().isBlank()) {
              throw new InvalidRequestException("media_id", "media_id must not be empty");
            }
            ModelVersion model = resolveImageModel(modelName, version);
            yield new QueryVector(model, storedVector(request.getMediaId(), model, tenant));
          }
          case EMBEDDING -> embeddingQuery(request.getEmbedding(), modelName, version);
          case QUERY_NOT_SET ->
              throw new InvalidRequestException(
                  "query", "set one of text, image, media_id, embedding");
        };
    index
        .imageDimension(q.model())
        .ifPresent(
            dimension -> {
              if (dimension != q.unit().length) {
                throw new InvalidRequestException(
                    "embedding.values",
                    "query has %d values, model %s has dimension %d"
                        .formatted(q.unit().length, q.model(), dimension));
              }
            });
    return q;
  }

  /** The stored unit vector of a media item for a model version, within the tenant. */
  public float[] storedVector(String mediaId, ModelVersion model, String tenant) {
    return index
        .item(tenant, mediaId)
        .map(item -> item.imageVectors().get(model))
        .map(MediaItem.StoredVector::vector)
        .orElseThrow(() -> MediaNotFoundException.noEmbedding(mediaId, model, tenant));
  }

  private QueryVector embeddingQuery(Embedding embedding, String modelName, String version) {
    if (embedding.getValuesCount() == 0) {
      throw new InvalidRequestException("embedding.values", "embedding has no values");
    }
    String name = embedding.getModelName().isBlank() ? modelName : embedding.getModelName();
    String v = embedding.getModelVersion().isBlank() ? version : embedding.getModelVersion();
    ModelVersion model = resolveImageModel(name, v);
    return new QueryVector(model, unit(embedding));
  }

  private QueryVector fromEmbedding(Embedding e, String wantedVersion) {
    ModelVersion model = new ModelVersion(e.getModelName(), e.getModelVersion());
    if (!wantedVersion.isBlank() && !wantedVersion.equals(model.version())) {
      throw new InvalidRequestException(
          "filter.model_version",
          "the encoder embeds queries with %s; vectors of version %s cannot be searched with it"
              .formatted(model, wantedVersion));
    }
    return new QueryVector(model, unit(e));
  }

  private Optional<QueryVector> sentenceQuery(String text) {
    Embedding e;
    try {
      e = encoder.encodeText(text, textModel);
    } catch (ModelNotFoundException notServed) {
      return Optional.empty(); // no sentence model: BM25 answers the text part alone
    }
    ModelVersion model = new ModelVersion(e.getModelName(), e.getModelVersion());
    if (index.textDimension(model).isEmpty()) {
      return Optional.empty(); // nothing indexed with this version yet
    }
    return Optional.of(new QueryVector(model, unit(e)));
  }

  private static float[] unit(Embedding e) {
    try {
      return Vectors.normalized(Vectors.values(e));
    } catch (IllegalArgumentException invalid) {
      throw new InvalidRequestException("embedding.values", invalid.getMessage());
    }
  }

  /**
   * Named (or default) model; an exact version when given, else the newest indexed version of that
   * name (unnamed: the default name's, else the newest of any name).
   */
  public ModelVersion resolveImageModel(String requested, String version) {
    boolean named = requested != null && !requested.isBlank();
    if (version != null && !version.isBlank()) {
      return new ModelVersion(named ? requested : config.defaultModel(), version);
    }
    if (named) {
      return index
          .newestImageModel(requested)
          .orElseThrow(
              () ->
                  new ModelNotFoundException(
                      requested, "no vectors of model " + requested + " are indexed"));
    }
    return index
        .newestImageModel(config.defaultModel())
        .or(() -> index.newestImageModel(null))
        .orElseThrow(
            () ->
                new ModelNotFoundException(
                    config.defaultModel(), "the index holds no vectors yet"));
  }

  /** The tenant's item of this media id (required tenant: {@link RequestTenant}). */
  public Optional<MediaItem> media(String mediaId, String tenant) {
    String owner = tenant(tenant);
    if (mediaId == null || mediaId.isBlank()) {
      throw new InvalidRequestException("media_id", "media_id must not be empty");
    }
    return index.item(owner, mediaId);
  }

  /** The live items of these ids in the local index that the tenant owns, by id. */
  public Map<String, MediaItem> items(Collection<String> mediaIds, String tenant) {
    return index.items(tenant(tenant), mediaIds);
  }

  private int effectiveK(int k, int max) {
    if (k == 0) {
      return config.defaultK();
    }
    if (k < 1 || k > max) {
      throw new InvalidRequestException("k", "k must be between 1 and " + max + ", got " + k);
    }
    return k;
  }

  /** The request's tenant; an empty or malformed one is refused ({@link RequestTenant}). */
  public String tenant(String tenant) {
    return RequestTenant.required(tenant);
  }

  private static Instant instant(com.google.protobuf.Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  private SearchResult timed(String queryType, Supplier<SearchResult> search) {
    Timer.Sample sample = Timer.start(registry);
    String outcome = "error";
    try {
      SearchResult result = search.get();
      outcome = "ok";
      return result;
    } finally {
      // Buckets, so that a dashboard computes p99 over all replicas (k8s/monitoring).
      sample.stop(
          Timer.builder("retrieval.search")
              .tags("query", queryType, "outcome", outcome)
              .publishPercentileHistogram()
              .minimumExpectedValue(Duration.ofMillis(1))
              .maximumExpectedValue(Duration.ofSeconds(10))
              .register(registry));
    }
  }

  /**
   * Page tokens: the offset of the next page plus a fingerprint of the request it belongs to, so a
   * token replayed with another query is rejected rather than silently misread.
   */
  static final class PageTokens {
    private PageTokens() {}

    static int offset(SearchRequest request) {
      if (request.getPageToken().isEmpty()) {
        return 0;
      }
      try {
        String token =
            new String(
                Base64.getUrlDecoder().decode(request.getPageToken()), StandardCharsets.UTF_8);
        String[] parts = token.split(":", -1);
        if (parts.length == 3 && parts[0].equals("p1") && parts[2].equals(fingerprint(request))) {
          int offset = Integer.parseInt(parts[1]);
          if (offset >= 0) {
            return offset;
          }
        }
      } catch (IllegalArgumentException malformed) {
        // falls through
      }
      throw new InvalidRequestException("page_token", "page_token does not belong to this query");
    }

    static String next(SearchRequest request, int offset) {
      String token = "p1:" + offset + ":" + fingerprint(request);
      return Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(token.getBytes(StandardCharsets.UTF_8));
    }

    private static String fingerprint(SearchRequest request) {
      byte[] bytes = request.toBuilder().clearPageToken().clearShardLocal().build().toByteArray();
      return Integer.toHexString(java.util.Arrays.hashCode(bytes));
    }
  }
}
