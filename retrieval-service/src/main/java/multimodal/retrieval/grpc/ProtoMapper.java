package multimodal.retrieval.grpc;

import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import multimodal.retrieval.ModelVersion;
import multimodal.retrieval.Transcript;
import multimodal.retrieval.VideoSegments;
import multimodal.retrieval.Vision;
import multimodal.retrieval.index.MediaItem;
import multimodal.retrieval.index.Vectors;
import multimodal.retrieval.search.MediaSearch;
import multimodal.retrieval.search.SearchResult;
import multimodal.retrieval.search.TimedTextMatches;
import multimodal.retrieval.search.ZeroShot;
import multimodal.v1.ClassifyResponse;
import multimodal.v1.EmbeddedBy;
import multimodal.v1.Embedding;
import multimodal.v1.GetMediaResponse;
import multimodal.v1.ImageScore;
import multimodal.v1.LabelScore;
import multimodal.v1.ModelRef;
import multimodal.v1.RankTextsResponse;
import multimodal.v1.RerankResponse;
import multimodal.v1.SearchHit;
import multimodal.v1.SearchResponse;
import multimodal.v1.TextScore;
import multimodal.v1.TimedText;

/** Domain records to v1 protobuf messages (and a shard's hits back to items). */
final class ProtoMapper {
  private static final TimedTextMatches SEGMENTS = new TimedTextMatches();

  private ProtoMapper() {}

  static SearchResponse toResponse(SearchResult result) {
    return toResponse(result, false);
  }

  /**
   * With {@code vectors}, every hit carries its stored vectors (shard-local, for the fan-out's
   * dedupe).
   */
  static SearchResponse toResponse(SearchResult result, boolean vectors) {
    return toResponse(result, vectors, "");
  }

  /**
   * @param queryText the text query, or empty: hits inside a transcript or a video name the
   *     transcript segments and the keyframes (by their caption and OCR text) it matched ({@link
   *     TimedTextMatches}); in that order, with the keyframes the query vector matched between
   *     them, so what the hits said before captions of keyframes existed comes first unchanged
   */
  static SearchResponse toResponse(SearchResult result, boolean vectors, String queryText) {
    SearchResponse.Builder response =
        SearchResponse.newBuilder().setNextPageToken(result.nextPageToken());
    if (result.model() != null) {
      response
          .setModelName(result.model().name())
          .setModelVersion(result.model().version())
          .setModelFixture(answeredByFixture(result));
    }
    for (SearchResult.Hit hit : result.hits()) {
      SearchHit h =
          hit(hit.item(), hit.score(), hit.sourceScores()).toBuilder()
              .addAllSegments(SEGMENTS.matching(transcript(hit.item()), queryText))
              .addAllSegments(hit.keyframes())
              .addAllSegments(SEGMENTS.matching(keyframeCaptions(hit.item()), queryText))
              .build();
      response.addHits(vectors ? withVectors(h, hit.item()) : h);
    }
    return response.build();
  }

  private static List<TimedText> transcript(MediaItem item) {
    return item.transcript() == null ? List.of() : item.transcript().segments();
  }

  private static List<TimedText> keyframeCaptions(MediaItem item) {
    return item.keyframeCaptions() == null ? List.of() : item.keyframeCaptions().timedTexts();
  }

  /**
   * Whether the answering model's vectors, as the hits store them, came from a generated fixture.
   */
  private static boolean answeredByFixture(SearchResult result) {
    for (SearchResult.Hit hit : result.hits()) {
      MediaItem.StoredVector vector = hit.item().imageVectors().get(result.model());
      if (vector != null) {
        return vector.fixture();
      }
    }
    return false;
  }

  private static SearchHit withVectors(SearchHit hit, MediaItem item) {
    SearchHit.Builder h = withImageVectors(hit, item).toBuilder();
    if (item.textVector() != null) {
      h.setTextVector(embedding(item.textVector()));
    }
    return h.build();
  }

  private static SearchHit withImageVectors(SearchHit hit, MediaItem item) {
    SearchHit.Builder h = hit.toBuilder();
    for (MediaItem.StoredVector v : item.imageVectors().values()) {
      h.addImageVectors(embedding(v));
    }
    return h.build();
  }

  /**
   * A shard's answer to a shard_lookup Rerank: its items, unscored, with their image vectors and a
   * video's keyframes.
   */
  static RerankResponse toLookup(Collection<MediaItem> items) {
    RerankResponse.Builder r = RerankResponse.newBuilder();
    for (MediaItem item : items) {
      SearchHit hit = withImageVectors(hit(item, 0f, Map.of()), item);
      if (item.keyframes() != null) {
        hit = hit.toBuilder().setKeyframes(item.keyframes().toEvent()).build();
      }
      r.addHits(hit);
    }
    return r.build();
  }

  /**
   * An item of the tenant back from a shard_lookup hit; {@link #hit} shows it as the shard would.
   */
  static MediaItem toItem(SearchHit hit, String tenant) {
    MediaItem item = new MediaItem(hit.getMediaId(), tenant);
    Instant ingestedAt =
        hit.hasIngestedAt()
            ? Instant.ofEpochSecond(
                hit.getIngestedAt().getSeconds(), hit.getIngestedAt().getNanos())
            : null;
    // A hit carries no engine names, caption or embedding times: neither scoring nor showing it
    // needs them.
    item.restore(
        hit.getContentType(),
        hit.getMetadataMap(),
        hit.getTagsList(),
        ingestedAt,
        ingestedAt != null,
        hit.getCaption(),
        "",
        hit.getOcrText(),
        "",
        null);
    item.restoreCaptionModelFixture(hit.getCaptionFixture());
    if (hit.getObjectsCount() > 0 || hit.getSafetyCount() > 0) {
      // A hit carries no model names or image size either; objects and safety are what it shows.
      item.restoreVision(
          new Vision(
              hit.getObjectsList(),
              null,
              hit.getSafetyList(),
              null,
              hit.getUnsafeScore(),
              0,
              0,
              null));
    }
    for (Embedding e : hit.getImageVectorsList()) {
      ModelVersion model = new ModelVersion(e.getModelName(), e.getModelVersion());
      item.imageVectors().put(model, new MediaItem.StoredVector(model, Vectors.values(e), null));
    }
    if (hit.hasKeyframes()) {
      item.restoreKeyframes(VideoSegments.of(hit.getKeyframes()));
    }
    return item;
  }

  private static Embedding embedding(MediaItem.StoredVector v) {
    return embedding(v.model(), v.vector());
  }

  static Embedding embedding(ModelVersion model, float[] values) {
    Embedding.Builder e =
        Embedding.newBuilder()
            .setModelName(model.name())
            .setModelVersion(model.version())
            .setDimension(values.length);
    for (float x : values) {
      e.addValues(x);
    }
    return e.build();
  }

  /** A shard's answer to the first phase of a fanned-out search. */
  static SearchResponse toResponse(MediaSearch.Prepared prepared) {
    SearchResponse.Builder response =
        SearchResponse.newBuilder().setBm25Statistics(prepared.bm25().toProto());
    if (prepared.mediaVector() != null) {
      response.setMediaVector(
          embedding(prepared.mediaVector().model(), prepared.mediaVector().unit()));
    }
    return response.build();
  }

  static SearchHit hit(MediaItem item, float score, Map<String, Float> sourceScores) {
    SearchHit.Builder h =
        SearchHit.newBuilder()
            .setMediaId(item.mediaId())
            .setScore(score)
            .setContentType(item.contentType())
            .putAllMetadata(item.metadata())
            .putAllSourceScores(sourceScores)
            .setCaption(item.caption())
            .setOcrText(item.ocrText())
            .setCaptionFixture(item.captionModelFixture())
            .addAllTags(item.tags());
    if (item.ingestedAt() != null) {
      h.setIngestedAt(timestamp(item.ingestedAt()));
    }
    Vision vision = item.vision();
    if (vision != null) {
      h.addAllObjects(vision.objects()).addAllSafety(vision.safety());
      if (vision.scored()) {
        h.setUnsafeScore(vision.unsafeScore());
      }
    }
    return h.build();
  }

  static GetMediaResponse toResponse(MediaItem media) {
    GetMediaResponse.Builder response =
        GetMediaResponse.newBuilder()
            .setMediaId(media.mediaId())
            .setTenant(media.tenant())
            .setContentType(media.contentType())
            .putAllMetadata(media.metadata())
            .addAllTags(media.tags())
            .setCaptioned(!media.caption().isEmpty())
            .setCaption(media.caption())
            // OCR ran when an engine is named, even if it found no text.
            .setOcrDone(!media.ocrEngine().isEmpty() || !media.ocrText().isEmpty())
            .setOcrText(media.ocrText());
    if (media.ingestedAt() != null) {
      response.setIngestedAt(timestamp(media.ingestedAt()));
    }
    for (MediaItem.StoredVector e : media.imageVectors().values()) {
      response.addEmbeddedBy(
          EmbeddedBy.newBuilder()
              .setModelName(e.model().name())
              .setModelVersion(e.model().version())
              .setDimension(e.vector().length)
              .setEmbeddedAt(timestamp(e.at()))
              .setFixture(e.fixture()));
    }
    if (!media.captionModel().isEmpty()) {
      response.setCaptionModel(captionModel(media.captionModel(), media.captionModelFixture()));
    }
    Transcript transcript = media.transcript();
    if (transcript != null) {
      response.addAllTranscript(transcript.segments()).setDurationMs(transcript.durationMs());
      if (transcript.recognizer() != null) {
        response.setRecognizer(transcript.recognizer());
      }
    }
    VideoSegments keyframes = media.keyframes();
    if (keyframes != null) {
      keyframes
          .segments()
          .forEach(k -> response.addKeyframes(TimedText.newBuilder().setTime(k.time())));
      response.setDurationMs(keyframes.durationMs());
    }
    if (media.keyframeCaptions() != null) {
      response.addAllKeyframeCaptions(media.keyframeCaptions().segments());
    }
    Vision vision = media.vision();
    if (vision != null) {
      response
          .setAnalysed(true)
          .addAllObjects(vision.objects())
          .addAllSafety(vision.safety())
          .setImageWidth(vision.imageWidth())
          .setImageHeight(vision.imageHeight());
      if (vision.scored()) {
        response.setUnsafeScore(vision.unsafeScore());
      }
      if (vision.detector() != null) {
        response.setDetector(vision.detector());
      }
      if (vision.safetyModel() != null) {
        response.setSafetyModel(vision.safetyModel());
      }
    }
    return response.build();
  }

  /** The index keeps the captioner as "name@version" (RecordDecoder); names carry no '@'. */
  private static ModelRef captionModel(String nameAtVersion, boolean fixture) {
    int at = nameAtVersion.indexOf('@');
    ModelRef.Builder model = ModelRef.newBuilder().setFixture(fixture);
    return (at < 0
            ? model.setName(nameAtVersion)
            : model
                .setName(nameAtVersion.substring(0, at))
                .setVersion(nameAtVersion.substring(at + 1)))
        .build();
  }

  static RankTextsResponse toRankTexts(ZeroShot.Ranking ranking) {
    RankTextsResponse.Builder r =
        RankTextsResponse.newBuilder()
            .setModelName(ranking.model().name())
            .setModelVersion(ranking.model().version());
    for (ZeroShot.Scored s : ranking.scores()) {
      r.addScores(
          TextScore.newBuilder()
              .setText(s.text())
              .setIndex(s.index())
              .setLogit(s.logit())
              .setProbability(s.probability()));
    }
    return r.build();
  }

  static ClassifyResponse toClassify(ZeroShot.Ranking ranking) {
    ClassifyResponse.Builder r =
        ClassifyResponse.newBuilder()
            .setModelName(ranking.model().name())
            .setModelVersion(ranking.model().version());
    for (ZeroShot.Scored s : ranking.scores()) {
      r.addLabels(
          LabelScore.newBuilder()
              .setLabel(s.text())
              .setLogit(s.logit())
              .setProbability(s.probability()));
    }
    return r.build();
  }

  static RerankResponse toRerank(ZeroShot.Reranked reranked) {
    RerankResponse.Builder r =
        RerankResponse.newBuilder().addAllMissingMediaIds(reranked.missing());
    for (ZeroShot.MediaScore s : reranked.hits()) {
      r.addHits(hit(s.item(), s.score(), Map.of()).toBuilder().addAllSegments(s.scenes()));
    }
    return r.build();
  }

  static RerankResponse toRerankImages(ZeroShot.ImagesReranked reranked) {
    RerankResponse.Builder r =
        RerankResponse.newBuilder()
            .setModel(
                ModelRef.newBuilder()
                    .setName(reranked.model().name())
                    .setVersion(reranked.model().version()));
    for (ZeroShot.ImageScore s : reranked.images()) {
      r.addImages(
          ImageScore.newBuilder()
              .setIndex(s.index())
              .setClientId(s.clientId())
              .setScore(s.score()));
    }
    return r.build();
  }

  static Timestamp timestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }
}
