package multimodal.gateway.grpc;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import multimodal.internalauth.InternalCall;
import multimodal.v1.BoundingBox;
import multimodal.v1.ClassScore;
import multimodal.v1.ClassifyRequest;
import multimodal.v1.ClassifyResponse;
import multimodal.v1.DetectedObject;
import multimodal.v1.EmbeddedBy;
import multimodal.v1.GetMediaRequest;
import multimodal.v1.GetMediaResponse;
import multimodal.v1.ImageScore;
import multimodal.v1.LabelScore;
import multimodal.v1.ModelRef;
import multimodal.v1.RankTextsRequest;
import multimodal.v1.RankTextsResponse;
import multimodal.v1.RerankRequest;
import multimodal.v1.RerankResponse;
import multimodal.v1.RetrievalService;
import multimodal.v1.SearchFilter;
import multimodal.v1.SearchHit;
import multimodal.v1.SearchRequest;
import multimodal.v1.SearchResponse;
import multimodal.v1.TextScore;
import multimodal.v1.TimeRange;
import multimodal.v1.TimedText;

/**
 * Stands in for retrieval-service in the gateway's tests, served over real gRPC by {@link
 * FakeBackendsTestResource}. Like the real index it is tenant-scoped: it holds (media id → tenant)
 * and answers only within the request's tenant. Queries "bad" and "busy" fail the way the real
 * service would. Vision results (objects, safety) and the object and safe-search filters behave
 * like the real index's; the CLIP and captioner it names are fixtures, as in the local run.
 */
public class FakeRetrievalService implements RetrievalService {
  public static final String KNOWN_MEDIA = "horse-1";

  /**
   * In this tenant every media id is indexed and captioned at once (a pipeline that is never
   * behind).
   */
  public static final String INSTANT_TENANT = "bulk";

  public static final Timestamp INGESTED =
      Timestamp.newBuilder().setSeconds(1_767_225_600L).build(); // 2026-01-01T00:00:00Z

  private final AtomicReference<InternalCall> lastCall = new AtomicReference<>();
  private final AtomicReference<SearchRequest> lastSearch = new AtomicReference<>();
  private final AtomicReference<ClassifyRequest> lastClassify = new AtomicReference<>();
  private final AtomicReference<RankTextsRequest> lastRank = new AtomicReference<>();
  private final Map<String, String> tenantOf =
      new ConcurrentHashMap<>(Map.of(KNOWN_MEDIA, "default"));

  /** What the vision enrichment "found" per media id; items not here are not analysed yet. */
  private final Map<String, List<DetectedObject>> objectsOf =
      new ConcurrentHashMap<>(
          Map.of(KNOWN_MEDIA, List.of(object("horse", 0.54f, 0.1f, 0.2f, 0.8f, 0.9f))));

  private final Map<String, Float> unsafeOf = new ConcurrentHashMap<>(Map.of(KNOWN_MEDIA, 0.02f));

  /**
   * Items found "inside" (videos, recordings): their content type and the segment every hit names.
   */
  private record Timed(String contentType, TimedText segment) {}

  private final Map<String, Timed> timedOf = new ConcurrentHashMap<>();

  public static final ModelRef DETECTOR =
      ModelRef.newBuilder().setName("centernet-coco").setVersion("human-models-3.0.4").build();
  public static final ModelRef SAFETY_MODEL =
      ModelRef.newBuilder().setName("nsfwjs-mobilenet-v2-mid").setVersion("4.4.0").build();

  public static DetectedObject object(
      String label, float score, float xMin, float yMin, float xMax, float yMax) {
    return DetectedObject.newBuilder()
        .setLabel(label)
        .setScore(score)
        .setBox(BoundingBox.newBuilder().setXMin(xMin).setYMin(yMin).setXMax(xMax).setYMax(yMax))
        .build();
  }

  /** As if a media.vision.v1 event had arrived for the item. */
  public void analyse(String mediaId, float unsafeScore, DetectedObject... objects) {
    objectsOf.put(mediaId, List.of(objects));
    unsafeOf.put(mediaId, unsafeScore);
  }

  /** The real classifier's classes: unsafe = hentai + porn + sexy; the fake puts it all on porn. */
  private static List<ClassScore> safety(float unsafe) {
    return List.of(
        ClassScore.newBuilder().setLabel("drawing").setScore(0).build(),
        ClassScore.newBuilder().setLabel("hentai").setScore(0).build(),
        ClassScore.newBuilder().setLabel("neutral").setScore(1 - unsafe).build(),
        ClassScore.newBuilder().setLabel("porn").setScore(unsafe).build(),
        ClassScore.newBuilder().setLabel("sexy").setScore(0).build());
  }

  /**
   * Filters like the real index: all object labels present; safe search drops scores above the
   * threshold (0 = 0.5).
   */
  private boolean passes(String mediaId, SearchFilter filter) {
    List<String> labels =
        objectsOf.getOrDefault(mediaId, List.of()).stream().map(DetectedObject::getLabel).toList();
    if (!labels.containsAll(filter.getObjectsList())) {
      return false;
    }
    if (!filter.getSafe()) {
      return true;
    }
    Float unsafe = unsafeOf.get(mediaId);
    if (unsafe == null) {
      return !filter.getExcludeUnscored();
    }
    return unsafe <= (filter.getUnsafeThreshold() == 0 ? 0.5f : filter.getUnsafeThreshold());
  }

  public SearchRequest lastSearch() {
    return lastSearch.get();
  }

  /** The verified call token of the last call (recorded behind the real internal-auth check). */
  public InternalCall lastCall() {
    return lastCall.get();
  }

  void called(InternalCall call) {
    lastCall.set(call);
  }

  public ClassifyRequest lastClassify() {
    return lastClassify.get();
  }

  public RankTextsRequest lastRank() {
    return lastRank.get();
  }

  /** As if the item were a video whose best keyframe for any query covers startMs..endMs. */
  public void video(String mediaId, long startMs, long endMs) {
    timed(mediaId, "video/webm", startMs, endMs, "");
  }

  /**
   * As if the item were a recording whose transcript holds every query's words at startMs..endMs.
   */
  public void audio(String mediaId, long startMs, long endMs, String said) {
    timed(mediaId, "audio/wav", startMs, endMs, said);
  }

  private void timed(String mediaId, String contentType, long startMs, long endMs, String text) {
    timedOf.put(
        mediaId,
        new Timed(
            contentType,
            TimedText.newBuilder()
                .setTime(TimeRange.newBuilder().setStartMs(startMs).setEndMs(endMs))
                .setText(text)
                .setScore(0.3f)
                .build()));
  }

  /** As if the pipeline had indexed the item for the tenant. */
  public void index(String tenant, String mediaId) {
    tenantOf.put(mediaId, tenant);
  }

  @Override
  public Uni<SearchResponse> search(SearchRequest request) {
    lastSearch.set(request);
    switch (request.getText()) {
      case "bad":
        return Uni.createFrom()
            .failure(
                Status.INVALID_ARGUMENT
                    .withDescription("query has no searchable tokens")
                    .asRuntimeException());
      case "busy":
        com.google.rpc.Status busy =
            com.google.rpc.Status.newBuilder()
                .setCode(Code.RESOURCE_EXHAUSTED_VALUE)
                .setMessage("encoder queue full")
                .addDetails(
                    Any.pack(
                        RetryInfo.newBuilder()
                            .setRetryDelay(Duration.newBuilder().setSeconds(7))
                            .build()))
                .build();
        return Uni.createFrom().failure(StatusProto.toStatusRuntimeException(busy));
      default:
        SearchResponse.Builder response =
            SearchResponse.newBuilder()
                .setModelName("clip-fixture")
                .setModelVersion("fixture-colour-1")
                .setModelFixture(true);
        String echo = request.hasText() ? request.getText() : request.getQueryCase().name();
        tenantOf.entrySet().stream()
            .filter(entry -> entry.getValue().equals(request.getTenant()))
            .map(Map.Entry::getKey)
            .filter(id -> passes(id, request.getFilter()))
            .sorted()
            .forEach(
                id ->
                    response.addHits(
                        withVision(id, SearchHit.newBuilder())
                            .setMediaId(id)
                            .setScore(id.equals(KNOWN_MEDIA) ? 0.875f : 0.25f)
                            .setContentType(
                                timedOf.containsKey(id)
                                    ? timedOf.get(id).contentType()
                                    : "image/png")
                            .addAllSegments(
                                timedOf.containsKey(id)
                                    ? List.of(timedOf.get(id).segment())
                                    : List.of())
                            .putMetadata("echo", echo)
                            .putSourceScores("clip", 0.5f)
                            .setCaption("a caption of " + id)
                            .setCaptionFixture(true)
                            .addTags("animal")
                            .setIngestedAt(INGESTED)));
        if (request.getPageToken().isEmpty() && response.getHitsCount() > 0) {
          response.setNextPageToken("page-2");
        }
        return Uni.createFrom().item(response.build());
    }
  }

  private SearchHit.Builder withVision(String mediaId, SearchHit.Builder hit) {
    hit.addAllObjects(objectsOf.getOrDefault(mediaId, List.of()));
    Float unsafe = unsafeOf.get(mediaId);
    if (unsafe != null) {
      hit.addAllSafety(safety(unsafe)).setUnsafeScore(unsafe);
    }
    return hit;
  }

  private GetMediaResponse.Builder withVision(String mediaId, GetMediaResponse.Builder media) {
    Float unsafe = unsafeOf.get(mediaId);
    if (unsafe == null) {
      return media;
    }
    return media
        .setAnalysed(true)
        .addAllObjects(objectsOf.getOrDefault(mediaId, List.of()))
        .setDetector(DETECTOR)
        .addAllSafety(safety(unsafe))
        .setUnsafeScore(unsafe)
        .setSafetyModel(SAFETY_MODEL)
        .setImageWidth(640)
        .setImageHeight(480);
  }

  @Override
  public Uni<GetMediaResponse> getMedia(GetMediaRequest request) {
    if (!request.getTenant().equals(INSTANT_TENANT)
        && !request.getTenant().equals(tenantOf.get(request.getMediaId()))) {
      return Uni.createFrom()
          .failure(
              Status.NOT_FOUND
                  .withDescription(
                      "no media '"
                          + request.getMediaId()
                          + "' in tenant '"
                          + request.getTenant()
                          + "'")
                  .asRuntimeException());
    }
    return Uni.createFrom()
        .item(
            withVision(request.getMediaId(), GetMediaResponse.newBuilder())
                .setMediaId(request.getMediaId())
                .setTenant(request.getTenant())
                .setContentType("image/png")
                .putMetadata("source", "test")
                .addEmbeddedBy(
                    EmbeddedBy.newBuilder()
                        .setModelName("clip-fixture")
                        .setModelVersion("fixture-colour-1")
                        .setDimension(8)
                        .setEmbeddedAt(INGESTED)
                        .setFixture(true))
                .setCaptioned(true)
                .setCaption("a horse in a field")
                .setCaptionModel(
                    ModelRef.newBuilder()
                        .setName("captioner-fixture")
                        .setVersion("fixture-1")
                        .setFixture(true))
                .setIngestedAt(INGESTED)
                .build());
  }

  @Override
  public Uni<ClassifyResponse> classify(ClassifyRequest request) {
    lastClassify.set(request);
    ClassifyResponse.Builder response =
        ClassifyResponse.newBuilder()
            .setModelName("clip-fixture")
            .setModelVersion("fixture-colour-1");
    // Deterministic: the first label wins, the rest share what is left.
    float rest = request.getLabelsCount() > 1 ? 0.25f / (request.getLabelsCount() - 1) : 0f;
    for (int i = 0; i < request.getLabelsCount(); i++) {
      response.addLabels(
          LabelScore.newBuilder()
              .setLabel(request.getLabels(i))
              .setProbability(i == 0 ? 0.75f : rest)
              .setLogit(10 - i));
    }
    return Uni.createFrom().item(response.build());
  }

  @Override
  public Uni<RankTextsResponse> rankTexts(RankTextsRequest request) {
    lastRank.set(request);
    RankTextsResponse.Builder response =
        RankTextsResponse.newBuilder()
            .setModelName("clip-fixture")
            .setModelVersion("fixture-colour-1");
    for (int i = request.getTextsCount() - 1; i >= 0; i--) {
      response.addScores(
          TextScore.newBuilder()
              .setText(request.getTexts(i))
              .setIndex(i)
              .setProbability(1f / request.getTextsCount()));
    }
    return Uni.createFrom().item(response.build());
  }

  @Override
  public Uni<RerankResponse> rerank(RerankRequest request) {
    if (request.getImagesCount() > 0) {
      return Uni.createFrom().item(rerankImages(request));
    }
    return Uni.createFrom()
        .failure(Status.UNIMPLEMENTED.withDescription("not faked").asRuntimeException());
  }

  /**
   * A colour CLIP of its own: an image scores the share of the text's colour (red or else blue) in
   * its top-left pixel, minus the other's.
   */
  private static RerankResponse rerankImages(RerankRequest request) {
    boolean red = request.getText().contains("red");
    List<ImageScore> scores = new java.util.ArrayList<>();
    for (int i = 0; i < request.getImagesCount(); i++) {
      try {
        java.awt.image.BufferedImage image =
            javax.imageio.ImageIO.read(request.getImages(i).getData().newInput());
        int rgb = image.getRGB(0, 0);
        float r = ((rgb >> 16) & 0xff) / 255f;
        float b = (rgb & 0xff) / 255f;
        scores.add(
            ImageScore.newBuilder()
                .setIndex(i)
                .setClientId(request.getImages(i).getClientId())
                .setScore(red ? r - b : b - r)
                .build());
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    scores.sort(java.util.Comparator.comparing(ImageScore::getScore).reversed());
    return RerankResponse.newBuilder()
        .addAllImages(scores)
        .setModel(ModelRef.newBuilder().setName("fake-clip").setVersion("1"))
        .build();
  }
}
