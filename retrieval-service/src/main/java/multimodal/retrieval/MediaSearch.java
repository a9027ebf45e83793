package multimodal.retrieval;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import multimodal.retrieval.config.RetrievalConfig;
import multimodal.retrieval.index.LuceneMediaIndex;
import multimodal.v1.Embedding;
import multimodal.v1.ImageSource;

/**
 * Turns each kind of query into a vector of one model version and runs the kNN search. Blocking
 * (index and encoder calls): call it from a worker thread.
 */
@ApplicationScoped
public class MediaSearch {
  private final LuceneMediaIndex index;
  private final QueryEncoder encoder;
  private final RetrievalConfig.Search config;
  private final MeterRegistry registry;

  MediaSearch(
      LuceneMediaIndex index, QueryEncoder encoder, RetrievalConfig config, MeterRegistry registry) {
    this.index = index;
    this.encoder = encoder;
    this.config = config.search();
    this.registry = registry;
  }

  /** Common request options. {@code k} 0 means the default; {@code minScore} 0 means none. */
  public record Options(String tenant, String model, int k, float minScore) {}

  public SearchResult byText(String text, Options options) {
    if (text == null || text.isBlank()) {
      throw new InvalidRequestException("text", "query text must not be empty");
    }
    effectiveK(options.k()); // reject a bad k before calling the encoder
    return timed("text", () -> vectorSearch(encoder.encodeText(text, options.model()), options));
  }

  public SearchResult byImage(ImageSource image, Options options) {
    if (image.getSourceCase() == ImageSource.SourceCase.SOURCE_NOT_SET) {
      throw new InvalidRequestException("image", "image needs data or uri");
    }
    effectiveK(options.k());
    return timed("image", () -> vectorSearch(encoder.encodeImage(image, options.model()), options));
  }

  /** "More like this": the item's own stored vector of the chosen model version is the query. */
  public SearchResult byMediaId(String mediaId, Options options) {
    if (mediaId == null || mediaId.isBlank()) {
      throw new InvalidRequestException("media_id", "media_id must not be empty");
    }
    return timed(
        "media_id",
        () -> {
          int k = effectiveK(options.k());
          ModelVersion model = resolveModel(options.model());
          String tenant = tenant(options.tenant());
          LuceneMediaIndex.StoredVector stored =
              index
                  .storedVector(mediaId, model)
                  .filter(v -> v.tenant().equals(tenant))
                  .orElseThrow(
                      () ->
                          new MediaNotFoundException(
                              mediaId,
                              "media %s has no %s embedding in tenant %s"
                                  .formatted(mediaId, model, tenant)));
          return run(tenant, model, stored.vector(), k, options.minScore());
        });
  }

  /** A ready-made embedding; its model name/version pick the vector field. */
  public SearchResult byEmbedding(Embedding embedding, Options options) {
    return timed("embedding", () -> vectorSearch(embedding, options));
  }

  private SearchResult vectorSearch(Embedding embedding, Options options) {
    int k = effectiveK(options.k());
    if (embedding.getValuesCount() == 0) {
      throw new InvalidRequestException("embedding.values", "embedding has no values");
    }
    ModelVersion model;
    if (embedding.getModelVersion().isBlank()) {
      model = resolveModel(embedding.getModelName().isBlank() ? options.model() : embedding.getModelName());
    } else {
      String name = embedding.getModelName().isBlank() ? config.defaultModel() : embedding.getModelName();
      model = new ModelVersion(name, embedding.getModelVersion());
    }
    float[] vector = new float[embedding.getValuesCount()];
    for (int i = 0; i < vector.length; i++) {
      vector[i] = embedding.getValues(i);
    }
    return run(tenant(options.tenant()), model, vector, k, options.minScore());
  }

  public Optional<MediaInfo> media(String mediaId, String tenant) {
    if (mediaId == null || mediaId.isBlank()) {
      throw new InvalidRequestException("media_id", "media_id must not be empty");
    }
    // An empty tenant in GetMedia means "whichever owns it".
    return index.media(mediaId).filter(m -> tenant == null || tenant.isBlank() || m.tenant().equals(tenant));
  }

  private SearchResult run(String tenant, ModelVersion model, float[] vector, int k, float minScore) {
    index
        .dimension(model)
        .ifPresent(
            dimension -> {
              if (dimension != vector.length) {
                throw new InvalidRequestException(
                    "embedding.values",
                    "query has %d values, model %s has dimension %d".formatted(vector.length, model, dimension));
              }
            });
    float threshold = minScore == 0f ? Float.NEGATIVE_INFINITY : minScore;
    try {
      List<ScoredMedia> hits = index.search(new VectorQuery(tenant, model, vector, k, threshold));
      return new SearchResult(model, hits);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("embedding.values", e.getMessage());
    }
  }

  /** Named model's newest version; unnamed: the default name's, else the newest of any name. */
  private ModelVersion resolveModel(String requested) {
    if (requested != null && !requested.isBlank()) {
      return index
          .newestVersion(requested)
          .orElseThrow(() -> new ModelNotFoundException(requested, "no vectors of model " + requested + " are indexed"));
    }
    return index
        .newestVersion(config.defaultModel())
        .or(index::newestVersion)
        .orElseThrow(() -> new ModelNotFoundException(config.defaultModel(), "the index holds no vectors yet"));
  }

  private int effectiveK(int k) {
    if (k == 0) {
      return config.defaultK();
    }
    if (k < 1 || k > config.maxK()) {
      throw new InvalidRequestException("k", "k must be between 1 and " + config.maxK() + ", got " + k);
    }
    return k;
  }

  private String tenant(String tenant) {
    return tenant == null || tenant.isBlank() ? config.defaultTenant() : tenant;
  }

  private SearchResult timed(String queryType, Supplier<SearchResult> search) {
    Timer.Sample sample = Timer.start(registry);
    String outcome = "error";
    try {
      SearchResult result = search.get();
      outcome = "ok";
      return result;
    } finally {
      sample.stop(registry.timer("retrieval.search", "query", queryType, "outcome", outcome));
    }
  }
}
