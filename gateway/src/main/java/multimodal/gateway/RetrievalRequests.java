package multimodal.gateway;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import multimodal.v1.ClassifyRequest;
import multimodal.v1.GetMediaRequest;
import multimodal.v1.ImageTarget;
import multimodal.v1.Limits;
import multimodal.v1.RankTextsRequest;
import multimodal.v1.RerankRequest;
import multimodal.v1.SearchFilter;
import multimodal.v1.SearchRequest;
import multimodal.v1.SourceWeights;

/**
 * Checks a RetrievalService request before the gateway forwards it, whether REST built it or a gRPC
 * caller sent it: queries, images, media ids, k and the option bounds. The fan-out fields a
 * coordinator sets for its shards ({@code shard_local}, {@code shard_prepare}, {@code
 * bm25_statistics}, {@code include_vectors}, {@code shard_lookup}) are cleared: they are for the
 * platform's own calls. The tenant is not checked here: {@code RetrievalClient} replaces whatever
 * the caller named with the API key's on every call.
 */
@ApplicationScoped
public class RetrievalRequests {
  private final RequestRules rules;

  public RetrievalRequests(RequestRules rules) {
    this.rules = rules;
  }

  public SearchRequest search(SearchRequest request) {
    switch (request.getQueryCase()) {
      case TEXT -> rules.text("text", request.getText());
      case MEDIA_ID -> rules.mediaId("mediaId", request.getMediaId());
      case IMAGE -> rules.imageSource(request.getImage(), "image");
      case EMBEDDING -> {} // a vector of the caller's own: the index checks its dimension
      case QUERY_NOT_SET ->
          throw RequestRefused.invalid("a search needs 'text', 'mediaId', 'image' or 'embedding'");
    }
    rules.k(request.getK());
    rules.shortText("model", request.getModel());
    rules.shortText("pageToken", request.getPageToken());
    rules.fraction("dedupe", request.getDedupeThreshold());
    weights(request.getWeights());
    filter(request.getFilter());
    return request.toBuilder()
        .clearShardLocal()
        .clearShardPrepare()
        .clearBm25Statistics()
        .clearIncludeVectors()
        .build();
  }

  public GetMediaRequest getMedia(GetMediaRequest request) {
    rules.mediaId("mediaId", request.getMediaId());
    return request.toBuilder().clearShardLocal().build();
  }

  public RankTextsRequest rankTexts(RankTextsRequest request) {
    target(request.getImage());
    List<String> texts = rules.texts("texts", request.getTextsList(), RequestRules.MAX_TEXTS);
    rules.shortText("model", request.getModel());
    return request.toBuilder().clearTexts().addAllTexts(texts).build();
  }

  public ClassifyRequest classify(ClassifyRequest request) {
    target(request.getImage());
    ClassifyRequest.Builder checked =
        request.toBuilder()
            .clearLabels()
            .addAllLabels(rules.texts("labels", request.getLabelsList(), RequestRules.MAX_TEXTS));
    if (request.getTemplatesCount() > 0) {
      checked
          .clearTemplates()
          .addAllTemplates(
              rules.texts("templates", request.getTemplatesList(), RequestRules.MAX_TEXTS));
    }
    rules.shortText("model", request.getModel());
    return checked.build();
  }

  public RerankRequest rerank(RerankRequest request) {
    rules.text("text", request.getText());
    if (request.getImagesCount() > 0) {
      return rerankImages(request);
    }
    List<String> ids = request.getMediaIdsList();
    if (ids.isEmpty() || ids.size() > RequestRules.MAX_K) {
      throw RequestRefused.invalid(
              "'mediaIds' must list 1.." + RequestRules.MAX_K + " media ids, got " + ids.size())
          .at("mediaIds");
    }
    for (int i = 0; i < ids.size(); i++) {
      rules.mediaId("mediaIds[" + i + "]", ids.get(i));
    }
    rules.shortText("model", request.getModel());
    return request.toBuilder().clearShardLookup().build();
  }

  /** Caller images instead of media ids: each checked as every other image a caller supplies. */
  private RerankRequest rerankImages(RerankRequest request) {
    if (request.getMediaIdsCount() > 0) {
      throw RequestRefused.invalid("give either 'mediaIds' or 'images', not both").at("images");
    }
    if (request.getImagesCount() > Limits.RERANK_MAX_IMAGES) {
      throw RequestRefused.invalid(
              "at most " + Limits.RERANK_MAX_IMAGES + " images, got " + request.getImagesCount())
          .at("images");
    }
    for (int i = 0; i < request.getImagesCount(); i++) {
      rules.imageSource(request.getImages(i), "images[" + i + "]");
    }
    rules.shortText("model", request.getModel());
    return request.toBuilder().clearShardLookup().build();
  }

  /** An item of the caller's tenant or an image: as for every other image a caller supplies. */
  private void target(ImageTarget target) {
    switch (target.getTargetCase()) {
      case MEDIA_ID -> rules.mediaId("mediaId", target.getMediaId());
      case IMAGE -> rules.imageSource(target.getImage(), "image");
      case TARGET_NOT_SET ->
          throw RequestRefused.invalid("give exactly one of 'mediaId' and 'uri'").at("image");
    }
  }

  private void weights(SourceWeights weights) {
    if (weights.hasClip()) {
      rules.weight("clipWeight", weights.getClip());
    }
    if (weights.hasBm25()) {
      rules.weight("bm25Weight", weights.getBm25());
    }
    if (weights.hasDenseText()) {
      rules.weight("denseTextWeight", weights.getDenseText());
    }
  }

  private void filter(SearchFilter filter) {
    float threshold = filter.getUnsafeThreshold();
    if (threshold != 0 && !(threshold > 0 && threshold <= 1)) {
      throw RequestRefused.invalid("'unsafeThreshold' must be in (0, 1], got " + threshold)
          .at("filter.unsafeThreshold");
    }
    bounded("tag", filter.getTagsList());
    bounded("object", filter.getObjectsList());
    bounded("contentType", filter.getContentTypesList());
    rules.shortText("modelVersion", filter.getModelVersion());
  }

  /** Filter lists may be empty; when given, they follow the rule of every other list of texts. */
  private void bounded(String name, List<String> values) {
    if (!values.isEmpty()) {
      rules.texts(name, values, RequestRules.MAX_TEXTS);
    }
  }
}
