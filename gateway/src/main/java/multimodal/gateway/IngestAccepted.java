package multimodal.gateway;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Answer to an accepted ingest: the item is on media.ingest.v1, processing is asynchronous. */
@Schema(
    description =
        "The ingest event was acknowledged by Kafka; processing continues asynchronously.")
public record IngestAccepted(
    @Schema(description = "Id of the media item (the Kafka key); poll GET /v1/media/{mediaId}.")
        String mediaId,
    @Schema(description = "CloudEvents id of the published event.") String eventId,
    @Schema(enumeration = {"accepted"}) String status) {

  public static IngestAccepted of(String mediaId, String eventId) {
    return new IngestAccepted(mediaId, eventId, "accepted");
  }
}
