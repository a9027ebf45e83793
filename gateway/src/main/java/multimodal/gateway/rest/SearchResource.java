package multimodal.gateway.rest;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import multimodal.gateway.RequestRules;
import multimodal.gateway.RetrievalRequests;
import multimodal.gateway.SafeSearchPolicy;
import multimodal.gateway.SearchResult;
import multimodal.gateway.auth.CurrentCaller;
import multimodal.gateway.config.GatewayConfig;
import multimodal.gateway.grpc.RetrievalClient;
import multimodal.v1.ImageSource;
import multimodal.v1.SearchFilter;
import multimodal.v1.SearchMode;
import multimodal.v1.SearchRequest;
import multimodal.v1.SourceWeights;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * Search the caller's media by text, by an uploaded image, or by an indexed item ("more like
 * this").
 */
@Path("/v1/search")
@Tag(name = "search", description = "Find media")
@SecurityRequirement(name = "apiKey")
public class SearchResource {
  static final int MAX_K = RequestRules.MAX_K;
  static final int MAX_QUERY_LENGTH = RequestRules.MAX_TEXT;

  private final RetrievalClient retrieval;
  private final CurrentCaller caller;
  private final GatewayConfig config;
  private final SafeSearchPolicy safeSearch;
  private final RetrievalRequests requests;
  private final RequestRules rules;

  SearchResource(
      RetrievalClient retrieval,
      CurrentCaller caller,
      GatewayConfig config,
      SafeSearchPolicy safeSearch,
      RetrievalRequests requests,
      RequestRules rules) {
    this.retrieval = retrieval;
    this.caller = caller;
    this.config = config;
    this.safeSearch = safeSearch;
    this.requests = requests;
    this.rules = rules;
  }

  /** Paging, filters and fusion options shared by both search forms. */
  public static class Options {
    @RestQuery
    @Parameter(description = "Number of results, 1..1000 (default 10)")
    public String k;

    @RestQuery
    @Parameter(description = "Drop results scoring below this; default none")
    public String minScore;

    @RestQuery
    @Parameter(
        description = "vector, text or hybrid (default: hybrid for text queries, vector otherwise)")
    public String mode;

    @RestQuery
    @Parameter(description = "Hybrid weight of CLIP similarity")
    public String clipWeight;

    @RestQuery
    @Parameter(description = "Hybrid weight of BM25 over captions, OCR text and metadata")
    public String bm25Weight;

    @RestQuery
    @Parameter(
        description =
            "Hybrid weight of dense sentence embeddings of captions, OCR text and metadata")
    public String denseTextWeight;

    @RestQuery
    @Parameter(description = "Only media carrying all these tags (repeat the parameter)")
    public List<String> tag;

    @RestQuery
    @Parameter(
        description =
            "Only media in which the object detector found all these labels (repeat the parameter),"
                + " e.g. horse")
    public List<String> object;

    @RestQuery
    @Parameter(
        description =
            "Safe search: true leaves out items whose unsafeScore is above the threshold; false"
                + " shows them (the web UI blurs them). Default: the tenant's setting"
                + " (gateway.safe-search.default, on unless configured off)")
    public String safe;

    @RestQuery
    @Parameter(
        description =
            "Threshold of safe search in (0, 1] (default gateway.safe-search.unsafe-threshold,"
                + " 0.5)")
    public String unsafeThreshold;

    @RestQuery
    @Parameter(
        description =
            "With safe search: also leave out items the safety classifier has not scored yet"
                + " (default false)")
    public String excludeUnscored;

    @RestQuery
    @Parameter(description = "Only these content types (repeat the parameter), e.g. image/png")
    public List<String> contentType;

    @RestQuery
    @Parameter(description = "Only media ingested after this ISO-8601 instant")
    public String ingestedAfter;

    @RestQuery
    @Parameter(description = "Only media ingested before this ISO-8601 instant")
    public String ingestedBefore;

    @RestQuery
    @Parameter(description = "Vector field of this exact model version (default: the newest)")
    public String modelVersion;

    @RestQuery
    @Parameter(description = "nextPageToken of the previous page")
    public String pageToken;

    @RestQuery
    @Parameter(description = "true: each hit says which sources matched and with what score")
    public String explain;

    @RestQuery
    @Parameter(
        description = "Drop near-duplicates whose cosine to a better hit is at least this (0..1)")
    public String dedupe;
  }

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Search images by text or by an indexed item",
      description =
          "q: free text (hybrid by default: CLIP plus caption/OCR/metadata text, fused by"
              + " reciprocal rank); mediaId: items like this one (its stored embedding). Exactly"
              + " one of the two.")
  @APIResponse(
      responseCode = "200",
      description = "Best matches first",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = SearchResult.class)))
  @APIResponse(
      responseCode = "400",
      description = "Neither or both of q and mediaId, k outside 1..1000, bad option",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "503",
      description = "Retrieval or encoder unavailable",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Uni<SearchResult> search(
      @RestQuery @Parameter(description = "Free text") String q,
      @RestQuery @Parameter(description = "Media id of an indexed item: more like this")
          String mediaId,
      @BeanParam Options options) {
    boolean text = q != null && !q.isBlank();
    boolean similar = mediaId != null && !mediaId.isBlank();
    if (text == similar) {
      throw ApiProblem.badRequest(
          "give exactly one of query parameters 'q' (must not be blank) and 'mediaId'");
    }
    SearchRequest.Builder request = toRequest(options);
    String query;
    if (text) {
      if (q.length() > MAX_QUERY_LENGTH) {
        throw ApiProblem.badRequest(
            "query parameter 'q' is longer than " + MAX_QUERY_LENGTH + " characters");
      }
      query = q.strip();
      request.setText(query);
    } else {
      query = "mediaId:" + mediaId;
      request.setMediaId(mediaId);
    }
    return search(query, request, options);
  }

  @POST
  @Consumes(MediaType.MULTIPART_FORM_DATA)
  @Produces(MediaType.APPLICATION_JSON)
  @Blocking
  @Operation(
      summary = "Search images by an uploaded image",
      description =
          "Multipart field 'file'; the image is embedded by the CLIP image tower. Options as for"
              + " GET.")
  @APIResponse(
      responseCode = "200",
      description = "Best matches first",
      content =
          @Content(
              mediaType = MediaType.APPLICATION_JSON,
              schema = @Schema(implementation = SearchResult.class)))
  @APIResponse(
      responseCode = "413",
      description = "Image too large",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  @APIResponse(
      responseCode = "415",
      description = "Not an image",
      content =
          @Content(
              mediaType = Problem.MEDIA_TYPE,
              schema = @Schema(implementation = Problem.class)))
  public Uni<SearchResult> searchByImage(ImageUploadForm form, @BeanParam Options options) {
    byte[] bytes = UploadedImages.read(form == null ? null : form.file, rules);
    SearchRequest.Builder request =
        toRequest(options)
            .setImage(
                ImageSource.newBuilder().setData(ByteString.copyFrom(bytes)).setClientId("upload"));
    String query = "image:" + (form.file.fileName() == null ? "upload" : form.file.fileName());
    return search(query, request, options);
  }

  /**
   * Checked as a gRPC caller's request is, safe search decided for the caller's tenant, then the
   * search itself.
   */
  private Uni<SearchResult> search(String query, SearchRequest.Builder request, Options options) {
    String tenant = caller.tenant();
    SearchRequest checked = requests.search(request.build());
    SearchRequest decided =
        safeSearch.apply(
            tenant, checked, present(options.safe) ? parseBoolean("safe", options.safe) : null);
    SearchResult.SafeSearch described = safeSearch.describe(decided);
    return retrieval
        .search(tenant, decided)
        .map(response -> RetrievalClient.toResult(query, described, response));
  }

  static SearchRequest.Builder toRequest(Options options) {
    SearchRequest.Builder request =
        SearchRequest.newBuilder()
            .setK(parseK(options.k))
            .setMinScore(parseMinScore(options.minScore));
    request.setMode(parseMode(options.mode));
    SourceWeights.Builder weights = SourceWeights.newBuilder();
    boolean weighted = false;
    if (present(options.clipWeight)) {
      weights.setClip(parseFloat("clipWeight", options.clipWeight));
      weighted = true;
    }
    if (present(options.bm25Weight)) {
      weights.setBm25(parseFloat("bm25Weight", options.bm25Weight));
      weighted = true;
    }
    if (present(options.denseTextWeight)) {
      weights.setDenseText(parseFloat("denseTextWeight", options.denseTextWeight));
      weighted = true;
    }
    if (weighted) {
      request.setWeights(weights);
    }
    SearchFilter.Builder filter = SearchFilter.newBuilder();
    if (options.tag != null) {
      options.tag.stream()
          .filter(SearchResource::present)
          .map(String::strip)
          .forEach(filter::addTags);
    }
    if (options.object != null) {
      options.object.stream()
          .filter(SearchResource::present)
          .map(String::strip)
          .forEach(filter::addObjects);
    }
    if (present(options.unsafeThreshold)) {
      float threshold = parseFloat("unsafeThreshold", options.unsafeThreshold);
      if (threshold
          <= 0) { // 0 is "unset" in the request; given explicitly it is refused here (the rest:
        // RetrievalRequests)
        throw ApiProblem.badRequest("query parameter 'unsafeThreshold' must be in (0, 1]");
      }
      filter.setUnsafeThreshold(threshold);
    }
    if (present(options.excludeUnscored)) {
      filter.setExcludeUnscored(parseBoolean("excludeUnscored", options.excludeUnscored));
    }
    if (options.contentType != null) {
      options.contentType.stream()
          .filter(SearchResource::present)
          .map(String::strip)
          .forEach(filter::addContentTypes);
    }
    if (present(options.ingestedAfter)) {
      filter.setIngestedAfter(parseInstant("ingestedAfter", options.ingestedAfter));
    }
    if (present(options.ingestedBefore)) {
      filter.setIngestedBefore(parseInstant("ingestedBefore", options.ingestedBefore));
    }
    if (present(options.modelVersion)) {
      filter.setModelVersion(options.modelVersion.strip());
    }
    if (!filter.build().equals(SearchFilter.getDefaultInstance())) {
      request.setFilter(filter);
    }
    if (present(options.pageToken)) {
      request.setPageToken(options.pageToken.strip());
    }
    if (present(options.explain)) {
      request.setExplain(parseBoolean("explain", options.explain));
    }
    if (present(options.dedupe)) {
      request.setDedupeThreshold(parseFloat("dedupe", options.dedupe)); // bounds: RetrievalRequests
    }
    return request;
  }

  private static boolean present(String value) {
    return value != null && !value.isBlank();
  }

  /**
   * REST's own syntax: an integer, and 0 given explicitly is refused; the range is
   * RequestRules.k's.
   */
  static int parseK(String value) {
    if (!present(value)) {
      return 10;
    }
    int k;
    try {
      k = Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw ApiProblem.badRequest(
          "query parameter 'k' must be an integer in 1.." + MAX_K + ", got '" + value + "'");
    }
    if (k == 0) { // in the request 0 means "unset"
      throw ApiProblem.badRequest("'k' must be in 1.." + MAX_K + ", got 0");
    }
    return k;
  }

  /** An absent threshold is sent as -infinity: proto's 0 default would drop negative scores. */
  private static float parseMinScore(String value) {
    return present(value) ? parseFloat("minScore", value) : Float.NEGATIVE_INFINITY;
  }

  private static SearchMode parseMode(String value) {
    if (!present(value)) {
      return SearchMode.SEARCH_MODE_UNSPECIFIED;
    }
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "vector" -> SearchMode.SEARCH_MODE_VECTOR;
      case "text" -> SearchMode.SEARCH_MODE_TEXT;
      case "hybrid" -> SearchMode.SEARCH_MODE_HYBRID;
      default ->
          throw ApiProblem.badRequest(
              "query parameter 'mode' must be vector, text or hybrid, got '" + value + "'");
    };
  }

  private static float parseFloat(String name, String value) {
    try {
      float number = Float.parseFloat(value.strip());
      if (Float.isFinite(number)) {
        return number;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiProblem.badRequest(
        "query parameter '" + name + "' must be a number, got '" + value + "'");
  }

  private static boolean parseBoolean(String name, String value) {
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default ->
          throw ApiProblem.badRequest("query parameter '" + name + "' must be true or false");
    };
  }

  private static Timestamp parseInstant(String name, String value) {
    try {
      Instant instant = Instant.parse(value.strip());
      return Timestamp.newBuilder()
          .setSeconds(instant.getEpochSecond())
          .setNanos(instant.getNano())
          .build();
    } catch (DateTimeParseException e) {
      throw ApiProblem.badRequest(
          "query parameter '" + name + "' must be an ISO-8601 instant like 2026-01-31T00:00:00Z");
    }
  }
}
