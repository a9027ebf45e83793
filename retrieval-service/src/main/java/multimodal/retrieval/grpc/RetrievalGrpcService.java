package multimodal.retrieval.grpc;

import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import java.util.function.Supplier;
import multimodal.retrieval.MediaNotFoundException;
import multimodal.retrieval.MediaSearch;
import multimodal.retrieval.SearchResult;
import multimodal.v1.GetMediaRequest;
import multimodal.v1.GetMediaResponse;
import multimodal.v1.SearchRequest;
import multimodal.v1.SearchResponse;

/**
 * gRPC adapter of {@link MediaSearch}. Lucene and encoder calls block, so the methods run on
 * worker threads ({@link Blocking}), off the event loop.
 */
@GrpcService
public class RetrievalGrpcService implements multimodal.v1.RetrievalService {
  private final MediaSearch search;

  RetrievalGrpcService(MediaSearch search) {
    this.search = search;
  }

  @Override
  @Blocking
  public Uni<SearchResponse> search(SearchRequest request) {
    return answer(() -> ProtoMapper.toResponse(run(request)));
  }

  @Override
  @Blocking
  public Uni<GetMediaResponse> getMedia(GetMediaRequest request) {
    return answer(
        () ->
            search
                .media(request.getMediaId(), request.getTenant())
                .map(ProtoMapper::toResponse)
                .orElseThrow(
                    () ->
                        new MediaNotFoundException(
                            request.getMediaId(), "media " + request.getMediaId() + " is not in the index")));
  }

  private SearchResult run(SearchRequest request) {
    MediaSearch.Options options =
        new MediaSearch.Options(request.getTenant(), request.getModel(), request.getK(), request.getMinScore());
    return switch (request.getQueryCase()) {
      case TEXT -> search.byText(request.getText(), options);
      case IMAGE -> search.byImage(request.getImage(), options);
      case MEDIA_ID -> search.byMediaId(request.getMediaId(), options);
      case EMBEDDING -> search.byEmbedding(request.getEmbedding(), options);
      case QUERY_NOT_SET ->
          throw new multimodal.retrieval.InvalidRequestException(
              "query", "set one of text, image, media_id, embedding");
    };
  }

  private static <T> Uni<T> answer(Supplier<T> work) {
    try {
      return Uni.createFrom().item(work.get());
    } catch (RuntimeException e) {
      return Uni.createFrom().failure(GrpcErrors.toStatus(e));
    }
  }

  @Override
  public Uni<multimodal.v1.RankTextsResponse> rankTexts(multimodal.v1.RankTextsRequest request) {
    return Uni.createFrom()
        .failure(Status.UNIMPLEMENTED.withDescription("RankTexts arrives with issue 4").asRuntimeException());
  }

  @Override
  public Uni<multimodal.v1.ClassifyResponse> classify(multimodal.v1.ClassifyRequest request) {
    return Uni.createFrom()
        .failure(Status.UNIMPLEMENTED.withDescription("Classify arrives with issue 4").asRuntimeException());
  }

  @Override
  public Uni<multimodal.v1.RerankResponse> rerank(multimodal.v1.RerankRequest request) {
    return Uni.createFrom()
        .failure(Status.UNIMPLEMENTED.withDescription("Rerank arrives with issue 4").asRuntimeException());
  }
}
