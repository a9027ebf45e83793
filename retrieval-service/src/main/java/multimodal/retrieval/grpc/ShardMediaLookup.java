package multimodal.retrieval.grpc;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import multimodal.retrieval.ModelVersion;
import multimodal.retrieval.index.MediaItem;
import multimodal.retrieval.search.MediaLookup;
import multimodal.retrieval.search.MediaSearch;
import multimodal.v1.RerankRequest;
import multimodal.v1.RerankResponse;

/**
 * {@link MediaLookup} over the whole index: with shard peers, every shard is asked once for all the
 * ids (a Rerank with {@code shard_lookup}: its items with their stored vectors, unscored), so
 * RankTexts, Classify and Rerank score an item wherever it is stored; without, the local index.
 *
 * <p>An id found on several shards (topics with different partition counts) is merged as GetMedia
 * merges it ({@link ShardParts}). Tenants: each shard returns only the parts the tenant owns there,
 * and a shard's part carries the tenant of the events that shard read (an embedding or caption
 * event without one belongs to the default tenant). So a merge only combines parts of the asked
 * tenant and an item never leaks across tenants: a part of another tenant is left out, even the one
 * holding the vector (the item is then missing for the tenant).
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
  public Map<String, MediaItem> withVector(
      Collection<String> mediaIds, ModelVersion model, String tenant) {
    List<Map<String, MediaItem>> answers =
        shards.enabled() ? fromShards(mediaIds, tenant) : List.of(search.items(mediaIds, tenant));
    Map<String, List<MediaItem>> parts = new LinkedHashMap<>();
    for (Map<String, MediaItem> answer : answers) { // in shard order
      answer.forEach((id, item) -> parts.computeIfAbsent(id, k -> new ArrayList<>()).add(item));
    }
    Map<String, MediaItem> found = new LinkedHashMap<>();
    parts.forEach(
        (id, itemParts) -> {
          MediaItem item = ShardParts.mergeItems(itemParts);
          if (item.imageVectors().containsKey(model)) {
            found.put(id, item);
          }
        });
    return found;
  }

  private List<Map<String, MediaItem>> fromShards(Collection<String> mediaIds, String tenant) {
    RerankRequest ask =
        RerankRequest.newBuilder()
            .addAllMediaIds(mediaIds)
            .setTenant(tenant)
            .setShardLookup(true)
            .build();
    return shards.askAll(tenant, shard -> shard.rerank(ask)).stream()
        .map(answer -> items(answer, tenant))
        .toList();
  }

  private static Map<String, MediaItem> items(RerankResponse answer, String tenant) {
    Map<String, MediaItem> items = new LinkedHashMap<>();
    answer
        .getHitsList()
        .forEach(hit -> items.put(hit.getMediaId(), ProtoMapper.toItem(hit, tenant)));
    return items;
  }
}
