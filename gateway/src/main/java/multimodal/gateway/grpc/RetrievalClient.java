package multimodal.gateway.grpc;

import com.google.protobuf.Timestamp;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import multimodal.gateway.MediaStatus;
import multimodal.gateway.SearchResult;
import multimodal.v1.GetMediaRequest;
import multimodal.v1.GetMediaResponse;
import multimodal.gateway.config.GatewayConfig;
import multimodal.v1.MutinyRetrievalServiceGrpc.MutinyRetrievalServiceStub;
import multimodal.v1.SearchRequest;
import multimodal.v1.SearchResponse;

/**
 * Calls retrieval-service's {@code RetrievalService} and maps its answers to the gateway's JSON
 * records. gRPC errors pass through as {@code StatusRuntimeException}; the REST layer turns them
 * into problem responses in one place.
 */
@ApplicationScoped
public class RetrievalClient {
  private final MutinyRetrievalServiceStub stub;
  private final long timeoutMillis;

  RetrievalClient(@GrpcClient("retrieval") MutinyRetrievalServiceStub stub, GatewayConfig config) {
    this.stub = stub;
    this.timeoutMillis = config.retrieval().timeout().toMillis();
  }

  /** A deadline per call, counted from now. */
  private MutinyRetrievalServiceStub retrieval() {
    return stub.withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  /** Text-to-image search in the tenant's media. */
  public Uni<SearchResult> searchText(String tenant, String text, int k, float minScore) {
    SearchRequest request =
        SearchRequest.newBuilder().setTenant(tenant).setText(text).setK(k).setMinScore(minScore).build();
    return retrieval().search(request).map(response -> toResult(text, response));
  }

  public Uni<MediaStatus> getMedia(String tenant, String mediaId) {
    return retrieval()
        .getMedia(GetMediaRequest.newBuilder().setTenant(tenant).setMediaId(mediaId).build())
        .map(RetrievalClient::toStatus);
  }

  static SearchResult toResult(String query, SearchResponse response) {
    List<SearchResult.Hit> hits =
        response.getHitsList().stream()
            .map(
                hit ->
                    new SearchResult.Hit(
                        hit.getMediaId(),
                        hit.getScore(),
                        emptyToNull(hit.getContentType()),
                        hit.getMetadataMap(),
                        iso(hit.hasIngestedAt() ? hit.getIngestedAt() : null)))
            .toList();
    return new SearchResult(
        query, new SearchResult.ModelRef(response.getModelName(), response.getModelVersion()), hits);
  }

  static MediaStatus toStatus(GetMediaResponse media) {
    List<MediaStatus.Embedded> embedded =
        media.getEmbeddedByList().stream()
            .map(
                by ->
                    new MediaStatus.Embedded(
                        by.getModelName(),
                        by.getModelVersion(),
                        by.getDimension(),
                        iso(by.hasEmbeddedAt() ? by.getEmbeddedAt() : null)))
            .toList();
    return new MediaStatus(
        media.getMediaId(),
        media.getTenant(),
        emptyToNull(media.getContentType()),
        media.getMetadataMap(),
        embedded,
        media.getCaptioned(),
        media.getOcrDone(),
        iso(media.hasIngestedAt() ? media.getIngestedAt() : null));
  }

  private static String iso(Timestamp timestamp) {
    return timestamp == null ? null : Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos()).toString();
  }

  private static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
