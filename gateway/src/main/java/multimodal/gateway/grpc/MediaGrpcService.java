package multimodal.gateway.grpc;

import io.quarkus.grpc.GrpcService;
import io.quarkus.grpc.RegisterInterceptor;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import java.util.List;
import multimodal.gateway.IngestAccepted;
import multimodal.gateway.MediaIngestion;
import multimodal.gateway.RequestRefused;
import multimodal.v1.DeleteMediaRequest;
import multimodal.v1.DeleteMediaResponse;
import multimodal.v1.IngestMediaRequest;
import multimodal.v1.IngestMediaResponse;
import multimodal.v1.MediaService;

/** Public gRPC ingest and delete, for the API key's tenant; same checks and events as REST. */
@GrpcService
@RegisterInterceptor(ApiKeyInterceptor.class)
public class MediaGrpcService implements MediaService {
  private final MediaIngestion ingestion;

  MediaGrpcService(MediaIngestion ingestion) {
    this.ingestion = ingestion;
  }

  @Override
  @Blocking
  public Uni<IngestMediaResponse> ingestMedia(IngestMediaRequest request) {
    String tenant = ApiKeyInterceptor.caller().tenant();
    return Uni.createFrom()
        .item(
            () -> {
              List<String> tags = request.getTagsList();
              IngestAccepted accepted =
                  switch (request.getImage().getSourceCase()) {
                    case DATA ->
                        ingestion.ingestBytes(
                            tenant,
                            request.getImage().getData().toByteArray(),
                            request.getMediaId(),
                            tags,
                            request.getMetadataMap());
                    case URI ->
                        ingestion.ingestUri(
                            tenant,
                            request.getImage().getUri(),
                            request.getMediaId(),
                            request.getContentType(),
                            tags,
                            request.getMetadataMap());
                    default -> throw RequestRefused.invalid("image.data or image.uri is required");
                  };
              return IngestMediaResponse.newBuilder()
                  .setMediaId(accepted.mediaId())
                  .setEventId(accepted.eventId())
                  .build();
            })
        .onFailure()
        .transform(GrpcErrors::toStatus);
  }

  @Override
  @Blocking
  public Uni<DeleteMediaResponse> deleteMedia(DeleteMediaRequest request) {
    String tenant = ApiKeyInterceptor.caller().tenant();
    return Uni.createFrom()
        .item(
            () -> {
              ingestion.delete(tenant, request.getMediaId());
              return DeleteMediaResponse.newBuilder().setMediaId(request.getMediaId()).build();
            })
        .onFailure()
        .transform(GrpcErrors::toStatus);
  }
}
