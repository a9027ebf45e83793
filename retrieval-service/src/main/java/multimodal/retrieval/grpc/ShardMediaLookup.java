package multimodal.retrieval.grpc;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import multimodal.retrieval.MediaLookup;
import multimodal.retrieval.MediaSearch;
import multimodal.retrieval.ModelVersion;
import multimodal.retrieval.index.MediaItem;
import multimodal.v1.RerankRequest;
import multimodal.v1.RerankResponse;

/**
 * {@link MediaLookup} over the whole index: with shard peers, every shard is asked once for all
 * the ids (a Rerank with {@code shard_lookup}: its items with their stored vectors, unscored), so
 * RankTexts, Classify and Rerank score an item wherever it is stored; without, the local index.
 */
@ApplicationScoped
public class ShardMediaLookup implements MediaLookup {
  private final ShardPeers shards;
  private final MediaSearch search;

  ShardMediaLookup(ShardPeers shards, MediaSearch search) {
    this.shards = shards;
    this.search = search;
  }

  @Override
  public Map<String, MediaItem> withVector(Collection<String> mediaIds, ModelVersion model, String tenant) {
    List<Map<String, MediaItem>> parts = shards.enabled() ? fromShards(mediaIds, tenant) : List.of(search.items(mediaIds, tenant));
    // In shard order, like a media-id Search: an id on several shards (topics with different
    // partition counts) is taken from the first that holds its vector of the model.
    Map<String, MediaItem> found = new LinkedHashMap<>();
    for (Map<String, MediaItem> part : parts) {
      part.forEach(
          (id, item) -> {
            if (item.imageVectors().containsKey(model)) {
              found.putIfAbsent(id, item);
            }
          });
    }
    return found;
  }

  private List<Map<String, MediaItem>> fromShards(Collection<String> mediaIds, String tenant) {
    RerankRequest ask = RerankRequest.newBuilder().addAllMediaIds(mediaIds).setTenant(tenant).setShardLookup(true).build();
    return shards.askAll(shard -> shard.rerank(ask)).stream().map(answer -> items(answer, tenant)).toList();
  }

  private static Map<String, MediaItem> items(RerankResponse answer, String tenant) {
    Map<String, MediaItem> items = new LinkedHashMap<>();
    answer.getHitsList().forEach(hit -> items.put(hit.getMediaId(), ProtoMapper.toItem(hit, tenant)));
    return items;
  }
}
