package multimodal.retrieval.grpc;

import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import java.util.function.Supplier;
import multimodal.retrieval.InvalidRequestException;
import multimodal.retrieval.MediaNotFoundException;
import multimodal.retrieval.RequestTenant;
import multimodal.retrieval.search.MediaSearch;
import multimodal.retrieval.search.ZeroShot;
import multimodal.v1.ClassifyRequest;
import multimodal.v1.ClassifyResponse;
import multimodal.v1.GetMediaRequest;
import multimodal.v1.GetMediaResponse;
import multimodal.v1.RankTextsRequest;
import multimodal.v1.RankTextsResponse;
import multimodal.v1.RerankRequest;
import multimodal.v1.RerankResponse;
import multimodal.v1.SearchRequest;
import multimodal.v1.SearchResponse;

/**
 * gRPC adapter of {@link MediaSearch}, {@link ShardFanOut} and {@link ZeroShot}. Lucene and encoder
 * calls block, so the methods run on worker threads ({@link Blocking}).
 */
@GrpcService
public class RetrievalGrpcService implements multimodal.v1.RetrievalService {
  private final MediaSearch search;
  private final ShardFanOut fanOut;
  private final ZeroShot zeroShot;

  RetrievalGrpcService(MediaSearch search, ShardFanOut fanOut, ZeroShot zeroShot) {
    this.search = search;
    this.fanOut = fanOut;
    this.zeroShot = zeroShot;
  }

  @Override
  @Blocking
  public Uni<SearchResponse> search(SearchRequest request) {
    return answer(() -> searchResponse(request));
  }

  /** Search without Mutiny (also serves plain grpc-java servers in tests and the benchmark). */
  SearchResponse searchResponse(SearchRequest request) {
    RequestTenant.required(
        request.getTenant()); // before fanning out: no shard sees a tenant-less request
    if (request.getShardPrepare()) {
      return ProtoMapper.toResponse(search.prepare(request));
    }
    return fanOut.enabled() && !request.getShardLocal()
        ? fanOut.search(request)
        : ProtoMapper.toResponse(
            search.search(request),
            request.getIncludeVectors(),
            request.getQueryCase() == SearchRequest.QueryCase.TEXT ? request.getText() : "");
  }

  @Override
  @Blocking
  public Uni<GetMediaResponse> getMedia(GetMediaRequest request) {
    return answer(
        () -> {
          RequestTenant.required(request.getTenant());
          return fanOut.enabled() && !request.getShardLocal()
              ? fanOut.getMedia(request)
              : localMedia(request);
        });
  }

  private GetMediaResponse localMedia(GetMediaRequest request) {
    return search
        .media(request.getMediaId(), request.getTenant())
        .map(ProtoMapper::toResponse)
        .orElseThrow(
            () ->
                new MediaNotFoundException(
                    request.getMediaId(),
                    "media " + request.getMediaId() + " is not in the index"));
  }

  @Override
  @Blocking
  public Uni<RankTextsResponse> rankTexts(RankTextsRequest request) {
    return answer(
        () ->
            ProtoMapper.toRankTexts(
                zeroShot.rankTexts(
                    request.getImage(),
                    request.getTextsList(),
                    request.getModel(),
                    RequestTenant.required(request.getTenant()))));
  }

  @Override
  @Blocking
  public Uni<ClassifyResponse> classify(ClassifyRequest request) {
    return answer(
        () ->
            ProtoMapper.toClassify(
                zeroShot.classify(
                    request.getImage(),
                    request.getLabelsList(),
                    request.getTemplatesList(),
                    request.getModel(),
                    RequestTenant.required(request.getTenant()))));
  }

  @Override
  @Blocking
  public Uni<RerankResponse> rerank(RerankRequest request) {
    return answer(
        () -> {
          String tenant = RequestTenant.required(request.getTenant());
          if (request.getImagesCount() > 0) {
            if (request.getMediaIdsCount() > 0 || request.getShardLookup()) {
              throw new InvalidRequestException(
                  "images", "give either media_ids or images, not both");
            }
            return ProtoMapper.toRerankImages(
                zeroShot.rerankImages(
                    request.getText(), request.getImagesList(), request.getModel()));
          }
          return request.getShardLookup()
              ? ProtoMapper.toLookup(search.items(request.getMediaIdsList(), tenant).values())
              : ProtoMapper.toRerank(
                  zeroShot.rerank(
                      request.getText(), request.getMediaIdsList(), request.getModel(), tenant));
        });
  }

  private static <T> Uni<T> answer(Supplier<T> work) {
    try {
      return Uni.createFrom().item(work.get());
    } catch (RuntimeException e) {
      return Uni.createFrom().failure(GrpcErrors.toStatus(e));
    }
  }
}
