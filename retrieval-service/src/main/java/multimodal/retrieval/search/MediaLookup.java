package multimodal.retrieval.search;

import java.util.Collection;
import java.util.Map;
import multimodal.retrieval.ModelVersion;
import multimodal.retrieval.index.MediaItem;

/**
 * Where {@link ZeroShot} reads the items it scores by media id: the local index, or every shard
 * when this replica fans out, so that an id answers alike wherever it is stored.
 */
public interface MediaLookup {
  /**
   * The live items among {@code mediaIds} that {@code tenant} owns and that have a stored vector of
   * {@code model}, by id; the others are absent.
   */
  Map<String, MediaItem> withVector(Collection<String> mediaIds, ModelVersion model, String tenant);
}
