package multimodal.retrieval.grpc;

import com.google.protobuf.Timestamp;
import java.time.Instant;
import multimodal.retrieval.MediaInfo;
import multimodal.retrieval.ScoredMedia;
import multimodal.retrieval.SearchResult;
import multimodal.v1.EmbeddedBy;
import multimodal.v1.GetMediaResponse;
import multimodal.v1.SearchHit;
import multimodal.v1.SearchResponse;

/** Domain records to v1 protobuf messages. */
final class ProtoMapper {
  private ProtoMapper() {}

  static SearchResponse toResponse(SearchResult result) {
    SearchResponse.Builder response =
        SearchResponse.newBuilder()
            .setModelName(result.model().name())
            .setModelVersion(result.model().version());
    for (ScoredMedia hit : result.hits()) {
      SearchHit.Builder h =
          SearchHit.newBuilder()
              .setMediaId(hit.mediaId())
              .setScore(hit.score())
              .setContentType(hit.contentType())
              .putAllMetadata(hit.metadata());
      if (hit.ingestedAt() != null) {
        h.setIngestedAt(timestamp(hit.ingestedAt()));
      }
      response.addHits(h);
    }
    return response.build();
  }

  static GetMediaResponse toResponse(MediaInfo media) {
    GetMediaResponse.Builder response =
        GetMediaResponse.newBuilder()
            .setMediaId(media.mediaId())
            .setTenant(media.tenant())
            .setContentType(media.contentType())
            .putAllMetadata(media.metadata());
    if (media.ingestedAt() != null) {
      response.setIngestedAt(timestamp(media.ingestedAt()));
    }
    for (MediaInfo.Embedded e : media.embeddings()) {
      response.addEmbeddedBy(
          EmbeddedBy.newBuilder()
              .setModelName(e.model().name())
              .setModelVersion(e.model().version())
              .setDimension(e.dimension())
              .setEmbeddedAt(timestamp(e.embeddedAt())));
    }
    return response.build();
  }

  static Timestamp timestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }
}
