package multimodal.retrieval.index;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import multimodal.retrieval.ModelVersion;

/**
 * The vector fields present in the index (image and sentence models), their dimension, and when
 * each model version was first seen. Saved in each commit's user data (so it is as durable as the
 * documents) and loaded on open. "Newest" = the version first seen most recently, so a late
 * re-embedding with an old version does not flip the default back.
 */
final class ModelCatalog {
  enum Kind {
    IMAGE,
    TEXT
  }

  record Entry(Kind kind, ModelVersion model, int dimension, long firstSeenMicros) {}

  private static final String PREFIX = "model:";
  private static final String SEP = String.valueOf(IndexFields.SEP);

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();

  void record(Kind kind, ModelVersion model, int dimension, long seenMicros) {
    entries.merge(
        key(kind, model),
        new Entry(kind, model, dimension, seenMicros),
        (old, now) ->
            new Entry(kind, model, old.dimension(), Math.min(old.firstSeenMicros(), seenMicros)));
  }

  Optional<Entry> get(Kind kind, ModelVersion model) {
    return Optional.ofNullable(entries.get(key(kind, model)));
  }

  Optional<ModelVersion> newest(Kind kind, String modelName) {
    return entries.values().stream()
        .filter(e -> e.kind() == kind && (modelName == null || e.model().name().equals(modelName)))
        .max(NEWEST_LAST)
        .map(Entry::model);
  }

  void clear() {
    entries.clear();
  }

  Map<String, String> toUserData() {
    Map<String, String> data = new HashMap<>();
    entries.forEach((k, e) -> data.put(PREFIX + k, e.dimension() + SEP + e.firstSeenMicros()));
    return data;
  }

  void load(Map<String, String> userData) {
    userData.forEach(
        (k, v) -> {
          if (k.startsWith(PREFIX)) {
            String[] key = k.substring(PREFIX.length()).split(SEP, -1);
            String[] value = v.split(SEP, -1);
            record(
                Kind.valueOf(key[0]),
                new ModelVersion(key[1], key[2]),
                Integer.parseInt(value[0]),
                Long.parseLong(value[1]));
          }
        });
  }

  private static String key(Kind kind, ModelVersion model) {
    return kind.name() + SEP + model.name() + SEP + model.version();
  }

  private static final Comparator<Entry> NEWEST_LAST =
      Comparator.comparingLong(Entry::firstSeenMicros).thenComparing(e -> e.model().version());
}
