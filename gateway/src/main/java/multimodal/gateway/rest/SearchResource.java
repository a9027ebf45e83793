package multimodal.gateway.rest;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import multimodal.gateway.SearchResult;
import multimodal.gateway.grpc.RetrievalClient;
import multimodal.v1.ingest.IngestEvent;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

/** Text-to-image search through retrieval-service. */
@Path("/v1/search")
@Tag(name = "search", description = "Find media")
public class SearchResource {
  static final int MAX_K = 1000;
  static final int MAX_QUERY_LENGTH = 2048;

  private final RetrievalClient retrieval;

  SearchResource(RetrievalClient retrieval) {
    this.retrieval = retrieval;
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "Search images by text", description = "The text is embedded by the CLIP text tower and matched against image embeddings.")
  @APIResponse(responseCode = "200", description = "Best matches first", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SearchResult.class)))
  @APIResponse(responseCode = "400", description = "Blank query, k outside 1..1000, bad minScore", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
  @APIResponse(responseCode = "503", description = "Retrieval or encoder unavailable", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
  public Uni<SearchResult> search(
      @RestQuery @Parameter(description = "Free text", required = true) String q,
      @RestQuery @Parameter(description = "Number of results, 1..1000", schema = @Schema(type = SchemaType.INTEGER, defaultValue = "10", minimum = "1", maximum = "1000")) String k,
      @RestQuery @Parameter(description = "Drop results scoring below this (cosine, -1..1); default none", schema = @Schema(type = SchemaType.NUMBER)) String minScore) {
    if (q == null || q.isBlank()) {
      throw ApiProblem.badRequest("query parameter 'q' must not be blank");
    }
    if (q.length() > MAX_QUERY_LENGTH) {
      throw ApiProblem.badRequest("query parameter 'q' is longer than " + MAX_QUERY_LENGTH + " characters");
    }
    int count = parseK(k);
    float threshold = parseMinScore(minScore);
    return retrieval.searchText(IngestEvent.DEFAULT_TENANT, q.strip(), count, threshold);
  }

  private static int parseK(String value) {
    if (value == null || value.isBlank()) {
      return 10;
    }
    try {
      int k = Integer.parseInt(value.strip());
      if (k >= 1 && k <= MAX_K) {
        return k;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiProblem.badRequest("query parameter 'k' must be an integer in 1.." + MAX_K + ", got '" + value + "'");
  }

  /** An absent threshold is sent as -infinity: proto's 0 default would drop negative scores. */
  private static float parseMinScore(String value) {
    if (value == null || value.isBlank()) {
      return Float.NEGATIVE_INFINITY;
    }
    try {
      float score = Float.parseFloat(value.strip());
      if (Float.isFinite(score)) {
        return score;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiProblem.badRequest("query parameter 'minScore' must be a number, got '" + value + "'");
  }
}
