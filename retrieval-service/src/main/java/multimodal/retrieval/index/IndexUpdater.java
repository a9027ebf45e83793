package multimodal.retrieval.index;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import multimodal.retrieval.EncoderUnavailableException;
import multimodal.retrieval.IndexChange;
import multimodal.retrieval.ItemKey;
import multimodal.retrieval.ModelNotFoundException;
import multimodal.retrieval.ModelVersion;
import multimodal.retrieval.QueryEncoder;
import multimodal.retrieval.SourceOffset;
import multimodal.v1.Embedding;
import org.jboss.logging.Logger;

/**
 * Applies a batch of decoded Kafka records to the index: folds every change of a media id into its
 * one document, embeds changed caption/OCR/metadata text with the sentence model, and writes the
 * batch with the records' offsets in one {@link LuceneMediaIndex#write} call.
 *
 * <p>An encoder that is down does not lose text vectors: the call is retried (with backoff) until
 * it answers or the consumer stops, and nothing of the batch is written meanwhile. A sentence model
 * the encoder does not serve (NOT_FOUND) is a configuration matter: the items are written without a
 * text vector and a warning is logged.
 */
public final class IndexUpdater {
  /** One Kafka record: its decoded change, or null when it was rejected before (still consumed). */
  public record Record(IndexChange change, SourceOffset source) {}

  /** A record that cannot be applied, and why. */
  public record Rejection(Record record, String reason, Throwable cause) {}

  /** The batch was abandoned because the consumer is stopping; nothing was written. */
  public static final class Stopped extends RuntimeException {
    Stopped() {
      super("stopped while waiting for the encoder");
    }
  }

  private static final Logger LOG = Logger.getLogger(IndexUpdater.class);
  private static final int TEXT_BATCH = 32;
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  private final LuceneMediaIndex index;
  private final QueryEncoder encoder;
  private final String textModel;
  private final String defaultTenant;
  private final Duration firstBackoff;
  private boolean warnedMissingModel;

  /**
   * @param textModel sentence model name for caption/OCR/metadata vectors; empty for none
   */
  public IndexUpdater(
      LuceneMediaIndex index,
      QueryEncoder encoder,
      String textModel,
      String defaultTenant,
      Duration firstBackoff) {
    this.index = index;
    this.encoder = encoder;
    this.textModel = textModel == null ? "" : textModel;
    this.defaultTenant = defaultTenant;
    this.firstBackoff = firstBackoff;
  }

  /**
   * Applies the records in order and writes them (not yet committed).
   *
   * @param running false once the caller wants to stop (ends encoder retries with {@link Stopped})
   * @return the records that could not be applied (their offsets are still consumed)
   */
  public List<Rejection> apply(List<Record> batch, BooleanSupplier running) {
    Prepared prepared = prepare(batch, running);
    write(prepared);
    return prepared.rejections();
  }

  /** A batch folded and embedded, ready to write. */
  public record Prepared(
      List<MediaItem> upserts,
      List<ItemKey> deletes,
      List<SourceOffset> sources,
      List<Rejection> rejections) {}

  /** Folds and embeds a batch without writing anything yet. */
  public Prepared prepare(List<Record> batch, BooleanSupplier running) {
    List<Rejection> rejections = new ArrayList<>();
    Set<ItemKey> keys = new LinkedHashSet<>();
    for (Record r : batch) {
      if (r.change() != null) {
        keys.add(ItemKey.of(r.change(), defaultTenant));
      }
    }
    // Current state (one NRT refresh for the whole batch), by (tenant, media id): an event of one
    // tenant never touches another tenant's item with the same media id.
    Map<ItemKey, MediaItem> items = new LinkedHashMap<>(index.itemsAndTombstones(keys));
    Map<ModelVersion, Integer> batchDimensions = new HashMap<>();
    for (Record r : batch) {
      IndexChange change = r.change();
      if (change == null) {
        continue;
      }
      if (change instanceof IndexChange.Embedded e) {
        try {
          int dimension = e.embedding().vector().length;
          index.checkDimension(true, e.embedding().model(), dimension);
          Integer seen = batchDimensions.putIfAbsent(e.embedding().model(), dimension);
          if (seen != null && seen != dimension) {
            throw new IllegalArgumentException(
                "model %s has dimension %d in the index, got %d"
                    .formatted(e.embedding().model(), seen, dimension));
          }
          Vectors.normalized(e.embedding().vector()); // rejects zero vectors before folding
        } catch (IllegalArgumentException invalid) {
          rejections.add(new Rejection(r, invalid.getMessage(), invalid));
          continue;
        }
      }
      MediaItem item =
          items.computeIfAbsent(
              ItemKey.of(change, defaultTenant), key -> new MediaItem(key.mediaId(), key.tenant()));
      item.apply(change, defaultTenant);
    }
    embedTexts(items.values(), running);
    List<SourceOffset> sources = new ArrayList<>();
    for (Record r : batch) {
      if (r.source() != null) {
        sources.add(r.source());
      }
    }
    return new Prepared(List.copyOf(items.values()), List.of(), sources, rejections);
  }

  /** Writes a prepared batch with its offsets (durable at the next commit). */
  public void write(Prepared prepared) {
    index.write(prepared.upserts(), prepared.deletes(), prepared.sources());
  }

  private void embedTexts(Iterable<MediaItem> items, BooleanSupplier running) {
    List<MediaItem> stale = new ArrayList<>();
    for (MediaItem item : items) {
      if (!item.deleted() && item.textVectorStale()) {
        if (item.searchableText().isBlank() || textModel.isEmpty()) {
          item.setTextVector(null, "");
        } else {
          stale.add(item);
        }
      }
    }
    for (int from = 0; from < stale.size(); from += TEXT_BATCH) {
      List<MediaItem> chunk = stale.subList(from, Math.min(stale.size(), from + TEXT_BATCH));
      List<String> texts = chunk.stream().map(MediaItem::searchableText).toList();
      List<Embedding> embeddings = encodeWithRetry(texts, running);
      if (embeddings == null) {
        return; // model not served: keep whatever vectors the items had
      }
      Instant now = Instant.now();
      for (int i = 0; i < chunk.size(); i++) {
        Embedding e = embeddings.get(i);
        float[] v = Vectors.values(e);
        chunk
            .get(i)
            .setTextVector(
                new MediaItem.StoredVector(
                    new ModelVersion(e.getModelName(), e.getModelVersion()),
                    Vectors.normalized(v),
                    now),
                texts.get(i));
      }
    }
  }

  /**
   * Null when the encoder does not serve the sentence model. Hand-written rather than resilience4j
   * (docs/adr/0015): it retries without end, with a doubling delay, and must notice {@code running}
   * turning false within 50 ms, which a library's blocking wait cannot.
   */
  private List<Embedding> encodeWithRetry(List<String> texts, BooleanSupplier running) {
    Duration backoff = firstBackoff;
    while (true) {
      try {
        return encoder.encodeTexts(texts, textModel);
      } catch (ModelNotFoundException e) {
        if (!warnedMissingModel) {
          LOG.warnf(
              "the encoder does not serve sentence model '%s'; indexing without text vectors",
              textModel);
          warnedMissingModel = true;
        }
        return null;
      } catch (EncoderUnavailableException e) {
        LOG.warnf(
            "encoder unavailable while embedding %d texts; retrying in %d ms: %s",
            texts.size(), backoff.toMillis(), e.getMessage());
      }
      long until = System.nanoTime() + backoff.toNanos();
      while (System.nanoTime() < until) {
        if (!running.getAsBoolean()) {
          throw new Stopped();
        }
        try {
          Thread.sleep(Math.min(50, backoff.toMillis()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new Stopped();
        }
      }
      backoff =
          backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
              ? MAX_BACKOFF
              : backoff.multipliedBy(2);
    }
  }
}
