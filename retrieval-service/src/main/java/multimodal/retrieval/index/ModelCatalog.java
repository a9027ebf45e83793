package multimodal.retrieval.index;

import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import multimodal.retrieval.ModelVersion;

/**
 * The model versions present in the index, their dimension, and when each was first seen; rebuilt
 * from the documents when the index opens. "Newest" = the version first seen most recently, so a
 * late re-embedding with an old version does not flip the default back.
 */
final class ModelCatalog {
  record Entry(ModelVersion model, int dimension, long firstEmbeddedMicros) {}

  private final Map<ModelVersion, Entry> entries = new ConcurrentHashMap<>();

  void record(ModelVersion model, int dimension, long embeddedMicros) {
    entries.merge(
        model,
        new Entry(model, dimension, embeddedMicros),
        (old, now) ->
            new Entry(model, old.dimension(), Math.min(old.firstEmbeddedMicros(), embeddedMicros)));
  }

  Optional<Entry> get(ModelVersion model) {
    return Optional.ofNullable(entries.get(model));
  }

  Optional<ModelVersion> newest(String modelName) {
    return entries.values().stream()
        .filter(e -> e.model().name().equals(modelName))
        .max(NEWEST_LAST)
        .map(Entry::model);
  }

  Optional<ModelVersion> newestOfAll() {
    return entries.values().stream().max(NEWEST_LAST).map(Entry::model);
  }

  private static final Comparator<Entry> NEWEST_LAST =
      Comparator.comparingLong(Entry::firstEmbeddedMicros)
          .thenComparing(e -> e.model().version());
}
