package multimodal.gateway.grpc;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import java.util.concurrent.atomic.AtomicReference;
import multimodal.v1.EmbeddedBy;
import multimodal.v1.GetMediaRequest;
import multimodal.v1.GetMediaResponse;
import multimodal.v1.RetrievalService;
import multimodal.v1.SearchHit;
import multimodal.v1.SearchRequest;
import multimodal.v1.SearchResponse;

/**
 * Stands in for retrieval-service in the gateway's tests, served over real gRPC on the gateway's
 * own port. Queries "bad" and "busy" make it fail the way the real service would.
 */
@GrpcService
public class FakeRetrievalService implements RetrievalService {
  public static final String KNOWN_MEDIA = "horse-1";
  public static final Timestamp INGESTED = Timestamp.newBuilder().setSeconds(1_767_225_600L).build(); // 2026-01-01T00:00:00Z

  private final AtomicReference<SearchRequest> lastSearch = new AtomicReference<>();

  public SearchRequest lastSearch() {
    return lastSearch.get();
  }

  @Override
  public Uni<SearchResponse> search(SearchRequest request) {
    lastSearch.set(request);
    switch (request.getText()) {
      case "bad":
        return Uni.createFrom()
            .failure(Status.INVALID_ARGUMENT.withDescription("query has no searchable tokens").asRuntimeException());
      case "busy":
        com.google.rpc.Status busy =
            com.google.rpc.Status.newBuilder()
                .setCode(Code.RESOURCE_EXHAUSTED_VALUE)
                .setMessage("encoder queue full")
                .addDetails(Any.pack(RetryInfo.newBuilder().setRetryDelay(Duration.newBuilder().setSeconds(7)).build()))
                .build();
        return Uni.createFrom().failure(StatusProto.toStatusRuntimeException(busy));
      default:
        return Uni.createFrom()
            .item(
                SearchResponse.newBuilder()
                    .setModelName("clip-fixture")
                    .setModelVersion("fixture-colour-1")
                    .addHits(
                        SearchHit.newBuilder()
                            .setMediaId(KNOWN_MEDIA)
                            .setScore(0.875f)
                            .setContentType("image/png")
                            .putMetadata("echo", request.getText())
                            .setIngestedAt(INGESTED))
                    .addHits(SearchHit.newBuilder().setMediaId("coffee").setScore(0.25f))
                    .build());
    }
  }

  @Override
  public Uni<GetMediaResponse> getMedia(GetMediaRequest request) {
    if (!request.getMediaId().equals(KNOWN_MEDIA)) {
      return Uni.createFrom()
          .failure(
              Status.NOT_FOUND
                  .withDescription("no media '" + request.getMediaId() + "' in tenant '" + request.getTenant() + "'")
                  .asRuntimeException());
    }
    return Uni.createFrom()
        .item(
            GetMediaResponse.newBuilder()
                .setMediaId(KNOWN_MEDIA)
                .setTenant(request.getTenant())
                .setContentType("image/png")
                .putMetadata("source", "test")
                .addEmbeddedBy(
                    EmbeddedBy.newBuilder()
                        .setModelName("clip-fixture")
                        .setModelVersion("fixture-colour-1")
                        .setDimension(8)
                        .setEmbeddedAt(INGESTED))
                .setCaptioned(false)
                .setIngestedAt(INGESTED)
                .build());
  }

  @Override
  public Uni<multimodal.v1.RankTextsResponse> rankTexts(multimodal.v1.RankTextsRequest request) {
    return Uni.createFrom()
        .failure(Status.UNIMPLEMENTED.withDescription("not faked").asRuntimeException());
  }

  @Override
  public Uni<multimodal.v1.ClassifyResponse> classify(multimodal.v1.ClassifyRequest request) {
    return Uni.createFrom()
        .failure(Status.UNIMPLEMENTED.withDescription("not faked").asRuntimeException());
  }

  @Override
  public Uni<multimodal.v1.RerankResponse> rerank(multimodal.v1.RerankRequest request) {
    return Uni.createFrom()
        .failure(Status.UNIMPLEMENTED.withDescription("not faked").asRuntimeException());
  }
}
