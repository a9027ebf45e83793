package multimodal.gateway;

import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** JSON body of {@code POST /v1/media}: an image the workers fetch from a URL. */
@Schema(description = "An image given by URL; the workers fetch it.")
public record UrlIngestRequest(
    @Schema(
            required = true,
            description = "http or https URL of the image.",
            examples = "https://example.com/horse.png")
        String uri,
    @Schema(description = "Media id; default is the hex SHA-256 of the URI.") String mediaId,
    @Schema(description = "Media type when known, e.g. image/png.") String contentType,
    @Schema(description = "Tags, usable as filters.") List<String> tags,
    @Schema(description = "Producer metadata (string values), indexed as text.")
        Map<String, String> metadata) {}
