package multimodal.gateway.grpc;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import multimodal.gateway.MediaIndex;
import multimodal.gateway.MediaStatus;
import multimodal.gateway.SearchResult;
import multimodal.gateway.Vision;
import multimodal.gateway.config.GatewayConfig;
import multimodal.internalauth.CallTokenClientInterceptor;
import multimodal.v1.ClassifyRequest;
import multimodal.v1.ClassifyResponse;
import multimodal.v1.GetMediaRequest;
import multimodal.v1.GetMediaResponse;
import multimodal.v1.MutinyRetrievalServiceGrpc.MutinyRetrievalServiceStub;
import multimodal.v1.RankTextsRequest;
import multimodal.v1.RankTextsResponse;
import multimodal.v1.RerankRequest;
import multimodal.v1.RerankResponse;
import multimodal.v1.SearchRequest;
import multimodal.v1.SearchResponse;

/**
 * Calls retrieval-service's {@code RetrievalService}, always with the caller's tenant (it
 * overwrites whatever tenant the request carried, and the call token names the same tenant: {@link
 * InternalCallTokens}), and maps answers to the gateway's JSON records. gRPC errors pass through as
 * {@code StatusRuntimeException}; the REST layer turns them into problem responses in one place.
 */
@ApplicationScoped
public class RetrievalClient implements MediaIndex {
  private final MutinyRetrievalServiceStub stub;
  private final long timeoutMillis;

  RetrievalClient(@GrpcClient("retrieval") MutinyRetrievalServiceStub stub, GatewayConfig config) {
    this.stub = stub;
    this.timeoutMillis = config.retrieval().timeout().toMillis();
  }

  /** A deadline per call, counted from now; the call acts for {@code tenant}. */
  private MutinyRetrievalServiceStub retrieval(String tenant) {
    return CallTokenClientInterceptor.forTenant(stub, tenant)
        .withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  public Uni<SearchResponse> search(String tenant, SearchRequest request) {
    return retrieval(tenant).search(request.toBuilder().setTenant(tenant).build());
  }

  public Uni<GetMediaResponse> getMediaProto(String tenant, String mediaId) {
    return retrieval(tenant)
        .getMedia(GetMediaRequest.newBuilder().setTenant(tenant).setMediaId(mediaId).build());
  }

  @Override
  public boolean holds(String tenant, String mediaId, Duration timeout) {
    try {
      getMediaProto(tenant, mediaId).await().atMost(timeout);
      return true;
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }

  public Uni<GetMediaResponse> getMedia(String tenant, GetMediaRequest request) {
    return retrieval(tenant).getMedia(request.toBuilder().setTenant(tenant).build());
  }

  public Uni<MediaStatus> getMedia(String tenant, String mediaId) {
    return getMediaProto(tenant, mediaId).map(RetrievalClient::toStatus);
  }

  public Uni<ClassifyResponse> classify(String tenant, ClassifyRequest request) {
    return retrieval(tenant).classify(request.toBuilder().setTenant(tenant).build());
  }

  public Uni<RankTextsResponse> rankTexts(String tenant, RankTextsRequest request) {
    return retrieval(tenant).rankTexts(request.toBuilder().setTenant(tenant).build());
  }

  public Uni<RerankResponse> rerank(String tenant, RerankRequest request) {
    return retrieval(tenant).rerank(request.toBuilder().setTenant(tenant).build());
  }

  public static SearchResult toResult(
      String query, SearchResult.SafeSearch safeSearch, SearchResponse response) {
    List<SearchResult.Hit> hits =
        response.getHitsList().stream()
            .map(
                hit ->
                    new SearchResult.Hit(
                        hit.getMediaId(),
                        hit.getScore(),
                        emptyToNull(hit.getContentType()),
                        hit.getMetadataMap(),
                        iso(hit.hasIngestedAt() ? hit.getIngestedAt() : null),
                        hit.getSourceScoresMap(),
                        emptyToNull(hit.getCaption()),
                        hit.getCaptionFixture(),
                        emptyToNull(hit.getOcrText()),
                        hit.getTagsList(),
                        Vision.objects(hit.getObjectsList()),
                        Vision.safety(hit.getSafetyList(), hit.getUnsafeScore()),
                        hit.getSegmentsList().stream()
                            .map(
                                s ->
                                    new SearchResult.Segment(
                                        s.getTime().getStartMs(),
                                        s.getTime().getEndMs(),
                                        s.getText(),
                                        s.getScore()))
                            .toList()))
            .toList();
    return new SearchResult(
        query,
        new SearchResult.ModelRef(
            response.getModelName(), response.getModelVersion(), response.getModelFixture()),
        safeSearch,
        hits,
        emptyToNull(response.getNextPageToken()));
  }

  public static MediaStatus toStatus(GetMediaResponse media) {
    List<MediaStatus.Embedded> embedded =
        media.getEmbeddedByList().stream()
            .map(
                by ->
                    new MediaStatus.Embedded(
                        by.getModelName(),
                        by.getModelVersion(),
                        by.getDimension(),
                        iso(by.hasEmbeddedAt() ? by.getEmbeddedAt() : null),
                        by.getFixture()))
            .toList();
    return new MediaStatus(
        media.getMediaId(),
        media.getTenant(),
        "indexed",
        emptyToNull(media.getContentType()),
        media.getMetadataMap(),
        media.getTagsList(),
        embedded,
        media.getCaptioned(),
        emptyToNull(media.getCaption()),
        Vision.Model.of(media.hasCaptionModel() ? media.getCaptionModel() : null),
        media.getOcrDone(),
        emptyToNull(media.getOcrText()),
        media.getAnalysed() ? MediaStatus.VISION_ANALYSED : MediaStatus.VISION_PENDING,
        Vision.objects(media.getObjectsList()),
        Vision.Model.of(media.hasDetector() ? media.getDetector() : null),
        Vision.safety(media.getSafetyList(), media.getUnsafeScore()),
        Vision.Model.of(media.hasSafetyModel() ? media.getSafetyModel() : null),
        media.getImageWidth(),
        media.getImageHeight(),
        iso(media.hasIngestedAt() ? media.getIngestedAt() : null),
        null,
        segments(media.getKeyframesList()),
        media.getKeyframesCount() > 0 || media.hasRecognizer() ? media.getDurationMs() : 0,
        segments(media.getTranscriptList()),
        Vision.Model.of(media.hasRecognizer() ? media.getRecognizer() : null),
        media.getKeyframeCaptionsList().stream()
            .map(
                k ->
                    new MediaStatus.KeyframeCaption(
                        k.getTime().getStartMs(),
                        k.getTime().getEndMs(),
                        k.getCaption(),
                        k.getOcrText()))
            .toList());
  }

  private static List<SearchResult.Segment> segments(List<multimodal.v1.TimedText> timed) {
    return timed.stream()
        .map(
            t ->
                new SearchResult.Segment(
                    t.getTime().getStartMs(), t.getTime().getEndMs(), t.getText(), 0f))
        .toList();
  }

  private static String iso(Timestamp timestamp) {
    return timestamp == null
        ? null
        : Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos()).toString();
  }

  private static String emptyToNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
