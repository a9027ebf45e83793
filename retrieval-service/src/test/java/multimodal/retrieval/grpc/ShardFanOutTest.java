package multimodal.retrieval.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import multimodal.internalauth.InternalServices;
import multimodal.retrieval.FakeQueryEncoder;
import multimodal.retrieval.IndexChange;
import multimodal.retrieval.KeyframeCaptions;
import multimodal.retrieval.MediaEmbedding;
import multimodal.retrieval.QueryEncoder;
import multimodal.retrieval.TestConfigs;
import multimodal.retrieval.TestVision;
import multimodal.retrieval.VideoSegments;
import multimodal.retrieval.config.RetrievalConfig;
import multimodal.retrieval.index.IndexUpdater;
import multimodal.retrieval.index.LuceneMediaIndex;
import multimodal.retrieval.search.MediaSearch;
import multimodal.v1.CaptionSegment;
import multimodal.v1.ClassifyRequest;
import multimodal.v1.DetectedObject;
import multimodal.v1.Embedding;
import multimodal.v1.GetMediaRequest;
import multimodal.v1.GetMediaResponse;
import multimodal.v1.ImageSource;
import multimodal.v1.ImageTarget;
import multimodal.v1.RankTextsRequest;
import multimodal.v1.RerankRequest;
import multimodal.v1.RerankResponse;
import multimodal.v1.SearchFilter;
import multimodal.v1.SearchHit;
import multimodal.v1.SearchMode;
import multimodal.v1.SearchRequest;
import multimodal.v1.SearchResponse;
import multimodal.v1.SourceWeights;
import multimodal.v1.TimeRange;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same corpus loaded into one index and into two shards (items split as the materialiser splits
 * them: Kafka's default partitioner over {@link #PARTITIONS} partitions, partition p on shard p mod
 * 2), each shard a gRPC server: a coordinator over an empty index of its own, fanning out, answers
 * exactly as the single index — ids in order, scores, page tokens, GetMedia.
 */
class ShardFanOutTest {
  static final int ITEMS = 80;
  static final int PARTITIONS = 4;
  static final int SHARDS = 2;

  /** Words of very different frequencies, so per-shard document frequencies differ. */
  static final String[] LABELS = {
    "person", "person", "horse", "cup", "dining table", "dog", "boat"
  };

  static final String[] WORDS = {
    "red", "red", "red", "green", "blue", "yellow", "boat", "truck", "sea", "sky", "harbour"
  };

  @TempDir Path dir;
  final List<LuceneMediaIndex> indexes = new ArrayList<>();
  final List<LuceneMediaIndex> shardIndexes = new ArrayList<>();
  final List<Server> servers = new ArrayList<>();
  final QueryEncoder encoder = new SeededEncoder();
  LuceneMediaIndex whole;
  MediaSearch single;

  /** The single index behind a gRPC adapter, for comparing answers and errors. */
  RetrievalGrpcService oneIndex;

  RetrievalGrpcService coordinator;

  /** Shard 0 answering a client itself: its own items are local, shard 1's are not. */
  RetrievalGrpcService receivingShard;

  final List<ShardPeers> peers = new ArrayList<>();

  @BeforeEach
  void startShards() throws IOException {
    RetrievalConfig plain = TestConfigs.config(Map.of());
    whole = open("whole");
    List<IndexChange> all = items();
    seed(whole, all);
    single = new MediaSearch(whole, encoder, plain, new SimpleMeterRegistry());
    oneIndex = wired(single, plain);
    List<String> addresses = new ArrayList<>();
    for (int shard = 0; shard < SHARDS; shard++) {
      LuceneMediaIndex index = open("shard" + shard);
      shardIndexes.add(index);
      int s = shard;
      List<IndexChange> mine =
          all.stream().filter(c -> shardOf(c.mediaId(), PARTITIONS) == s).toList();
      assertThat(mine).isNotEmpty().hasSizeLessThan(all.size());
      seed(index, mine);
      MediaSearch local = new MediaSearch(index, encoder, plain, new SimpleMeterRegistry());
      Server server =
          NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
              // Each shard checks call tokens as retrieval-service does: the fan-out must carry
              // them.
              .addService(
                  ServerInterceptors.intercept(
                      RetrievalGrpcServiceAccess.plainGrpc(wired(local, plain)),
                      TestCallTokens.retrievalGuard()))
              .build()
              .start();
      servers.add(server);
      addresses.add("127.0.0.1:" + server.getPort());
    }
    // The coordinator holds no items itself: every answer comes from the shards.
    RetrievalConfig sharded = TestConfigs.config(Map.of("shard.peers", addresses));
    coordinator =
        wired(
            new MediaSearch(open("coordinator"), encoder, sharded, new SimpleMeterRegistry()),
            sharded);
    receivingShard =
        wired(
            new MediaSearch(shardIndexes.get(0), encoder, sharded, new SimpleMeterRegistry()),
            sharded);
  }

  private RetrievalGrpcService wired(MediaSearch search, RetrievalConfig config) {
    ShardPeers shards = new ShardPeers(config, TestCallTokens.as(InternalServices.RETRIEVAL));
    peers.add(shards);
    return RetrievalGrpcServiceAccess.wired(search, encoder, shards, config);
  }

  @AfterEach
  void stop() throws IOException {
    peers.forEach(ShardPeers::close);
    servers.forEach(Server::shutdownNow);
    for (LuceneMediaIndex index : indexes) {
      index.close();
    }
  }

  @Test
  void vectorQueriesOverTwoShardsAnswerLikeOneIndex() {
    Embedding probe =
        FakeQueryEncoder.embedding(FakeQueryEncoder.CLIP, new float[] {0.3f, -0.2f, 0.9f, 0.1f});
    assertAllSame(
        SearchRequest.newBuilder()
            .setTenant("default")
            .setText("red")
            .setMode(SearchMode.SEARCH_MODE_VECTOR)
            .setK(15)
            .build(),
        SearchRequest.newBuilder()
            .setTenant("default")
            .setEmbedding(probe)
            .setK(20)
            .setMinScore(0.2f)
            .build(),
        SearchRequest.newBuilder().setTenant("default").setImage(image("blue")).setK(7).build(),
        SearchRequest.newBuilder().setTenant("default").setMediaId(idOnShard(1)).setK(9).build(),
        SearchRequest.newBuilder()
            .setTenant("default")
            .setText("sea boat")
            .setMode(SearchMode.SEARCH_MODE_TEXT)
            .setWeights(SourceWeights.newBuilder().setBm25(0))
            .setK(12)
            .setExplain(true)
            .build());
  }

  @Test
  void bm25OverCaptionsAndMetadataAnswersLikeOneIndex() {
    SourceWeights bm25Only = SourceWeights.newBuilder().setDenseText(0).build();
    assertAllSame(
        text("sea boat")
            .setMode(SearchMode.SEARCH_MODE_TEXT)
            .setWeights(bm25Only)
            .setK(15)
            .setExplain(true)
            .build(),
        text("harbour red truck")
            .setMode(SearchMode.SEARCH_MODE_TEXT)
            .setWeights(bm25Only)
            .setK(30)
            .build(),
        // metadata_text: "number 17" and the place names
        text("number 17 north")
            .setMode(SearchMode.SEARCH_MODE_TEXT)
            .setWeights(bm25Only)
            .setK(10)
            .setExplain(true)
            .build());
  }

  @Test
  void hybridReciprocalRankFusionAnswersLikeOneIndex() {
    assertAllSame(
        text("blue sky").setK(25).setExplain(true).build(),
        text("red sea harbour")
            .setWeights(SourceWeights.newBuilder().setBm25(2).setClip(0.5f))
            .setK(20)
            .setExplain(true)
            .build(),
        text("yellow truck")
            .setMode(SearchMode.SEARCH_MODE_TEXT)
            .setK(15)
            .setExplain(true)
            .build());
  }

  @Test
  void nearDuplicateRemovalAnswersLikeOneIndex() {
    SearchResponse withoutDedupe =
        ProtoMapper.toResponse(
            single.search(
                SearchRequest.newBuilder()
                    .setTenant("default")
                    .setImage(image("blue"))
                    .setK(12)
                    .build()));
    SearchRequest deduped =
        SearchRequest.newBuilder()
            .setTenant("default")
            .setImage(image("blue"))
            .setK(12)
            .setDedupeThreshold(0.97f)
            .build();
    assertThat(ids(ProtoMapper.toResponse(single.search(deduped))))
        .as("the corpus has near-duplicates")
        .isNotEqualTo(ids(withoutDedupe));
    assertAllSame(
        deduped,
        SearchRequest.newBuilder()
            .setTenant("default")
            .setMediaId(idOnShard(0))
            .setK(10)
            .setDedupeThreshold(0.95f)
            .build(),
        text("red boat").setK(15).setDedupeThreshold(0.95f).setExplain(true).build(),
        text("sea sky")
            .setMode(SearchMode.SEARCH_MODE_TEXT)
            .setK(10)
            .setDedupeThreshold(0.9f)
            .build());
  }

  @Test
  void filtersAnswerLikeOneIndex() {
    Instant t0 = Instant.parse("2026-02-01T00:00:00Z");
    assertAllSame(
        SearchRequest.newBuilder()
            .setTenant("default")
            .setText("green")
            .setMode(SearchMode.SEARCH_MODE_VECTOR)
            .setFilter(SearchFilter.newBuilder().addTags("even"))
            .setK(10)
            .build(),
        text("red boat")
            .setFilter(SearchFilter.newBuilder().addTags("odd"))
            .setK(12)
            .setExplain(true)
            .build(),
        text("sea truck")
            .setMode(SearchMode.SEARCH_MODE_TEXT)
            .setWeights(SourceWeights.newBuilder().setDenseText(0))
            .setFilter(
                SearchFilter.newBuilder()
                    .setIngestedAfter(ts(t0.plusSeconds(20)))
                    .setIngestedBefore(ts(t0.plusSeconds(70))))
            .setK(10)
            .build(),
        SearchRequest.newBuilder()
            .setTenant("default")
            .setImage(image("red"))
            .setFilter(SearchFilter.newBuilder().addContentTypes("image/jpeg"))
            .setK(8)
            .build());
  }

  @Test
  void objectTagsAndSafeSearchAnswerLikeOneIndex() {
    SourceWeights bm25Only = SourceWeights.newBuilder().setDenseText(0).build();
    SearchFilter.Builder safe = SearchFilter.newBuilder().setSafe(true);
    assertAllSame(
        text("horse")
            .setMode(SearchMode.SEARCH_MODE_TEXT)
            .setWeights(bm25Only)
            .setK(15)
            .setExplain(true)
            .build(),
        text("dining table sea").setK(20).setExplain(true).build(),
        SearchRequest.newBuilder()
            .setTenant("default")
            .setText("red")
            .setMode(SearchMode.SEARCH_MODE_VECTOR)
            .setFilter(SearchFilter.newBuilder().addObjects("Person"))
            .setK(10)
            .build(),
        text("red boat")
            .setFilter(SearchFilter.newBuilder().addObjects("dog"))
            .setK(10)
            .setExplain(true)
            .build(),
        SearchRequest.newBuilder()
            .setTenant("default")
            .setImage(image("blue"))
            .setFilter(safe)
            .setK(12)
            .build(),
        text("horse sea")
            .setFilter(safe.clone().setUnsafeThreshold(0.3f).setExcludeUnscored(true))
            .setK(10)
            .setExplain(true)
            .build());
    SearchResponse safeHits =
        search(
            SearchRequest.newBuilder()
                .setTenant("default")
                .setImage(image("red"))
                .setFilter(safe)
                .setK(30)
                .build());
    SearchResponse all =
        search(
            SearchRequest.newBuilder()
                .setTenant("default")
                .setImage(image("red"))
                .setK(30)
                .build());
    assertThat(safeHits.getHitsList())
        .allSatisfy(h -> assertThat(h.getUnsafeScore()).isLessThanOrEqualTo(0.5f));
    assertThat(all.getHitsList())
        .as("the corpus has unsafe items")
        .anySatisfy(h -> assertThat(h.getUnsafeScore()).isGreaterThan(0.5f));
  }

  @Test
  void pagesThroughShardsLikeThroughOneIndex() {
    for (SearchRequest first :
        List.of(
            SearchRequest.newBuilder()
                .setTenant("default")
                .setText("yellow")
                .setMode(SearchMode.SEARCH_MODE_VECTOR)
                .setK(8)
                .build(),
            text("red sky boat").setK(6).setExplain(true).build(),
            SearchRequest.newBuilder()
                .setTenant("default")
                .setImage(image("green"))
                .setK(5)
                .setDedupeThreshold(0.97f)
                .build())) {
      SearchResponse viaShards = search(first);
      SearchResponse viaOne = ProtoMapper.toResponse(single.search(first));
      for (int page = 0; page < 3; page++) {
        assertSame(first, viaShards, viaOne);
        assertThat(viaShards.getNextPageToken()).isEqualTo(viaOne.getNextPageToken()).isNotEmpty();
        viaShards = search(first.toBuilder().setPageToken(viaShards.getNextPageToken()).build());
        viaOne =
            ProtoMapper.toResponse(
                single.search(first.toBuilder().setPageToken(viaOne.getNextPageToken()).build()));
      }
    }
  }

  @Test
  void getMediaFindsItemsOnEveryShard() {
    for (int shard = 0; shard < SHARDS; shard++) {
      String id = idOnShard(shard);
      GetMediaResponse viaShards = getMedia(id);
      assertThat(viaShards)
          .isEqualTo(ProtoMapper.toResponse(single.media(id, "default").orElseThrow()));
      assertThat(viaShards.getCaptioned()).isTrue();
      assertThat(viaShards.getEmbeddedByCount()).isEqualTo(1);
    }
    assertThatThrownBy(() -> getMedia("no-such-item"))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
  }

  @Test
  void getMediaMergesAnItemWhoseTopicsLandOnDifferentShards() {
    // media.ingest.v1 and media.caption.v1 with 4 partitions, media.embedding.v1 with 3: the
    // item's events may be read by different shards.
    String id = null;
    for (int i = 0; id == null; i++) {
      if (shardOf("split-" + i, 4) != shardOf("split-" + i, 3)) {
        id = "split-" + i;
      }
    }
    Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
    seed(
        shardIndexes.get(shardOf(id, 4)),
        List.of(
            new IndexChange.Ingested(
                id, "default", "image/png", Map.of("place", "harbour"), List.of("split"), t0),
            new IndexChange.Captioned(
                id, "default", "a boat in the harbour", "captioner@1", "", "", t0)));
    seed(
        shardIndexes.get(shardOf(id, 3)),
        List.of(
            new IndexChange.Embedded(
                new MediaEmbedding(
                    id,
                    "default",
                    "",
                    Map.of(),
                    List.of(),
                    null,
                    t0,
                    FakeQueryEncoder.CLIP,
                    new float[] {1, 0, 0, 0})),
            // media.vision.v1 with 3 partitions too
            TestVision.analysed(id, "default", 0.2f, TestVision.object("boat", 0.7f))));

    GetMediaResponse merged = getMedia(id);

    assertThat(merged.getMetadataMap()).containsExactly(Map.entry("place", "harbour"));
    assertThat(merged.getTagsList()).containsExactly("split");
    assertThat(merged.getContentType()).isEqualTo("image/png");
    assertThat(merged.getIngestedAt()).isEqualTo(ts(t0));
    assertThat(merged.getCaptioned()).isTrue();
    assertThat(merged.getCaption()).isEqualTo("a boat in the harbour");
    assertThat(merged.getEmbeddedByList())
        .singleElement()
        .satisfies(e -> assertThat(e.getModelVersion()).isEqualTo(FakeQueryEncoder.CLIP.version()));
    assertThat(merged.getCaptionModel().getName()).isEqualTo("captioner");
    assertThat(merged.getAnalysed()).isTrue();
    assertThat(merged.getObjectsList()).extracting(o -> o.getLabel()).containsExactly("boat");
    assertThat(merged.getDetector()).isEqualTo(TestVision.DETECTOR);
    assertThat(merged.getSafetyModel()).isEqualTo(TestVision.SAFETY);
    assertThat(merged.getUnsafeScore()).isEqualTo(0.2f);
    assertThat(merged.getImageWidth()).isEqualTo(640);
  }

  /**
   * A video whose caption event (with keyframe captions) was read by another shard than its ingest.
   */
  @Test
  void getMediaTakesAVideosKeyframeCaptionsFromTheShardHoldingItsCaption() {
    String id = splitId(0, 1);
    Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
    seed(
        shardIndexes.get(0),
        List.of(new IndexChange.Ingested(id, "default", "video/mp4", Map.of(), List.of(), t0)));
    CaptionSegment scene =
        CaptionSegment.newBuilder()
            .setTime(TimeRange.newBuilder().setStartMs(2_000).setEndMs(4_000))
            .setCaption("a boat")
            .setOcrText("HARBOUR")
            .build();
    seed(
        shardIndexes.get(1),
        List.of(
            new IndexChange.Captioned(
                id,
                "default",
                "a boat",
                "captioner@1",
                "HARBOUR",
                "tesseract",
                t0,
                false,
                new KeyframeCaptions(List.of(scene), 4_000))));

    GetMediaResponse merged = getMedia(id);

    assertThat(merged.getContentType()).isEqualTo("video/mp4");
    assertThat(merged.getKeyframeCaptionsList()).containsExactly(scene);
  }

  /**
   * A video's keyframes travel with its vector: Rerank scores the video by its best scene, on
   * whichever shard its embedding landed, as one index would. "green" is closer to the yellow image
   * (0.71) than to the video's mean (0.58), but the video's green scene is the query itself.
   */
  @Test
  void rerankScoresAVideoByItsBestSceneWhereverItsEmbeddingIs() {
    String video = splitId(0, 1);
    String yellow = idOnShard(0) + "-yellow";
    Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
    float third = (float) (1 / Math.sqrt(3));
    float half = (float) (1 / Math.sqrt(2));
    VideoSegments scenes =
        new VideoSegments(
            FakeQueryEncoder.CLIP,
            9_000,
            List.of(
                scene(0, 3_000, new float[] {1, 0, 0, 0}),
                scene(3_000, 6_000, new float[] {0, 1, 0, 0}),
                scene(6_000, 9_000, new float[] {0, 0, 1, 0})));
    List<IndexChange> ingest =
        List.of(
            new IndexChange.Ingested(video, "default", "video/mp4", Map.of(), List.of(), t0),
            new IndexChange.Embedded(
                new MediaEmbedding(
                    yellow,
                    "default",
                    "image/png",
                    Map.of(),
                    List.of(),
                    t0,
                    t0,
                    FakeQueryEncoder.CLIP,
                    new float[] {half, half, 0, 0})));
    IndexChange embedded =
        new IndexChange.Embedded(
            new MediaEmbedding(
                video,
                "default",
                "video/mp4",
                Map.of(),
                List.of(),
                t0,
                t0,
                FakeQueryEncoder.CLIP,
                new float[] {third, third, third, 0},
                false,
                scenes));
    seed(shardIndexes.get(0), ingest);
    seed(shardIndexes.get(1), List.of(embedded));
    seed(whole, ingest);
    seed(whole, List.of(embedded));
    RerankRequest rerank =
        RerankRequest.newBuilder()
            .setTenant("default")
            .setText("green")
            .addMediaIds(yellow)
            .addMediaIds(video)
            .build();

    RerankResponse merged = coordinator.rerank(rerank).await().indefinitely();

    assertThat(merged.getHitsList())
        .extracting(SearchHit::getMediaId)
        .containsExactly(video, yellow);
    assertThat(merged.getHits(0).getScore())
        .isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
    assertThat(merged.getHits(0).getSegments(0).getTime())
        .isEqualTo(TimeRange.newBuilder().setStartMs(3_000).setEndMs(6_000).build());
    assertThat(merged.getHits(1).getSegmentsList()).isEmpty();
    assertLikeOneIndex(Status.Code.OK, s -> s.rerank(rerank));
  }

  private static VideoSegments.Segment scene(long startMs, long endMs, float[] unit) {
    return new VideoSegments.Segment(
        TimeRange.newBuilder().setStartMs(startMs).setEndMs(endMs).build(), unit);
  }

  @Test
  void rerankAndRankTextsMergeAnItemWhoseIngestAndCaptionAreOnShard0AndItsVectorOnShard1() {
    String id = splitId(0, 1);
    Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
    List<IndexChange> ingestAndCaption =
        List.of(
            new IndexChange.Ingested(
                id, "acme", "image/png", Map.of("place", "harbour"), List.of("split"), t0),
            new IndexChange.Captioned(
                id,
                "acme",
                "a green boat in the harbour",
                "captioner@1",
                "HARBOUR",
                "tesseract",
                t0));
    IndexChange vector =
        new IndexChange.Embedded(
            new MediaEmbedding(
                id,
                "acme",
                "",
                Map.of(),
                List.of(),
                null,
                t0,
                FakeQueryEncoder.CLIP,
                new float[] {0, 1, 0, 0}));
    IndexChange vision = TestVision.analysed(id, "acme", 0.1f, TestVision.object("boat", 0.8f));
    seed(shardIndexes.get(0), ingestAndCaption);
    seed(shardIndexes.get(1), List.of(vector, vision));
    seed(whole, ingestAndCaption);
    seed(whole, List.of(vector, vision));
    RerankRequest rerank =
        RerankRequest.newBuilder()
            .setText("green")
            .addMediaIds(id)
            .addMediaIds(idOnShard(0))
            .setTenant("acme")
            .build();

    RerankResponse merged = coordinator.rerank(rerank).await().indefinitely();

    assertThat(merged.getHitsList())
        .singleElement()
        .satisfies(
            hit -> {
              assertThat(hit.getMediaId()).isEqualTo(id);
              assertThat(hit.getMetadataMap()).containsExactly(Map.entry("place", "harbour"));
              assertThat(hit.getTagsList()).containsExactly("split");
              assertThat(hit.getContentType()).isEqualTo("image/png");
              assertThat(hit.getIngestedAt()).isEqualTo(ts(t0));
              assertThat(hit.getCaption()).isEqualTo("a green boat in the harbour");
              assertThat(hit.getOcrText()).isEqualTo("HARBOUR");
              assertThat(hit.getObjectsList())
                  .extracting(o -> o.getLabel())
                  .containsExactly("boat");
              assertThat(hit.getUnsafeScore()).isEqualTo(0.1f);
            });
    assertLikeOneIndex(Status.Code.OK, s -> s.rerank(rerank));
    List<String> texts = List.of("red", "green", "sea");
    assertLikeOneIndex(
        Status.Code.OK, s -> s.rankTexts(rankTexts(id, texts).setTenant("acme").build()));
    assertLikeOneIndex(
        Status.Code.OK, s -> s.classify(classify(id, texts).setTenant("acme").build()));
    assertLikeOneIndex(Status.Code.NOT_FOUND, s -> s.rankTexts(rankTexts(id, texts).build()));
  }

  @Test
  void aPartOfAnotherTenantIsNeverMergedIntoAnItem() {
    // acme's ingest event and caption on shard 0; on shard 1 an embedding event that named no
    // tenant, so its part belongs to the default tenant.
    String id = splitId(0, 1);
    Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
    seed(
        shardIndexes.get(0),
        List.of(
            new IndexChange.Ingested(
                id, "acme", "image/png", Map.of("owner", "acme"), List.of("private"), t0),
            new IndexChange.Captioned(
                id, "acme", "acme's green prototype", "captioner@1", "", "", t0),
            TestVision.analysed(id, "acme", 0.1f, TestVision.object("prototype", 0.9f))));
    seed(
        shardIndexes.get(1),
        List.of(
            new IndexChange.Embedded(
                new MediaEmbedding(
                    id,
                    "default",
                    "",
                    Map.of(),
                    List.of(),
                    null,
                    t0,
                    FakeQueryEncoder.CLIP,
                    new float[] {0, 1, 0, 0}))));
    RerankRequest rerank =
        RerankRequest.newBuilder().setTenant("default").setText("green").addMediaIds(id).build();

    RerankResponse asAcme =
        coordinator.rerank(rerank.toBuilder().setTenant("acme").build()).await().indefinitely();
    RerankResponse asDefault = coordinator.rerank(rerank).await().indefinitely();

    assertThat(asAcme.getHitsList())
        .as("acme's part has no vector; the default tenant's is not acme's")
        .isEmpty();
    assertThat(asAcme.getMissingMediaIdsList()).containsExactly(id);
    assertThat(
            outcome(
                coordinator.rankTexts(
                    rankTexts(id, List.of("red", "green")).setTenant("acme").build())))
        .isInstanceOfSatisfying(
            com.google.rpc.Status.class,
            e -> assertThat(e.getCode()).isEqualTo(Status.Code.NOT_FOUND.value()));
    assertThat(asDefault.getHitsList())
        .singleElement()
        .satisfies(
            hit -> {
              assertThat(hit.getMetadataMap()).as("nothing of acme's").isEmpty();
              assertThat(hit.getTagsList()).isEmpty();
              assertThat(hit.getCaption()).isEmpty();
              assertThat(hit.getObjectsList()).isEmpty();
            });
  }

  @Test
  void rankTextsByMediaIdAnswersLikeOneIndex() {
    // "sea" and "sky" embed alike (the fake's non-colour axis): a tie, ordered by position.
    List<String> texts = List.of("red", "sea", "a green boat", "sky", "blue");
    for (String id : List.of(idOnShard(0), idOnShard(1))) {
      assertLikeOneIndex(Status.Code.OK, s -> s.rankTexts(rankTexts(id, texts).build()));
    }
    assertLikeOneIndex(
        Status.Code.NOT_FOUND, s -> s.rankTexts(rankTexts("no-such-item", texts).build()));
    assertLikeOneIndex(
        Status.Code.NOT_FOUND,
        s -> s.rankTexts(rankTexts(idOnShard(1), texts).setTenant("other").build()));
    assertLikeOneIndex(
        Status.Code.INVALID_ARGUMENT, s -> s.rankTexts(rankTexts(" ", texts).build()));
  }

  @Test
  void classifyByMediaIdAnswersLikeOneIndex() {
    List<String> labels = List.of("red", "green", "sea", "blue", "sky");
    for (String id : List.of(idOnShard(0), idOnShard(1))) {
      assertLikeOneIndex(Status.Code.OK, s -> s.classify(classify(id, labels).build()));
      assertLikeOneIndex(
          Status.Code.OK,
          s ->
              s.classify(
                  classify(id, labels)
                      .addTemplates("a photo of a {}.")
                      .addTemplates("{}")
                      .build()));
    }
    assertLikeOneIndex(
        Status.Code.NOT_FOUND, s -> s.classify(classify("no-such-item", labels).build()));
    assertLikeOneIndex(
        Status.Code.NOT_FOUND,
        s -> s.classify(classify(idOnShard(1), labels).setTenant("other").build()));
  }

  @Test
  void rerankScoresCandidatesOnBothShardsLikeOneIndex() {
    // Twins (the same vector) on different shards tie and come back in media id order; an item
    // ingested but never embedded has no vector of the version: missing, like an unknown id.
    String twin0 = idOnShard("twin-", 0);
    String twin1 = idOnShard("twin-", 1);
    String unembedded = idOnShard("plain-", 1);
    Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
    for (String twin : List.of(twin0, twin1)) {
      List<IndexChange> changes =
          List.of(
              new IndexChange.Ingested(
                  twin, "default", "image/png", Map.of("twin", "yes"), List.of("twin"), t0),
              new IndexChange.Embedded(
                  new MediaEmbedding(
                      twin,
                      "default",
                      "",
                      Map.of(),
                      List.of(),
                      null,
                      t0,
                      FakeQueryEncoder.CLIP,
                      new float[] {1, 1, 1, 1})));
      seed(whole, changes);
      seed(shardIndexes.get(shardOf(twin, PARTITIONS)), changes);
    }
    IndexChange plain =
        new IndexChange.Ingested(unembedded, "default", "image/png", Map.of(), List.of(), t0);
    seed(whole, List.of(plain));
    seed(shardIndexes.get(1), List.of(plain));
    List<String> candidates =
        List.of(
            twin1,
            idOnShard(1),
            "no-such-item",
            "item-5",
            idOnShard(0),
            twin0,
            unembedded,
            "item-9",
            idOnShard(1),
            "item-12",
            "item-13");
    RerankRequest request =
        RerankRequest.newBuilder()
            .setTenant("default")
            .setText("red")
            .addAllMediaIds(candidates)
            .build();

    RerankResponse viaOne = oneIndex.rerank(request).await().indefinitely();

    assertThat(viaOne.getMissingMediaIdsList()).containsExactly("no-such-item", unembedded);
    assertThat(viaOne.getHitsList().stream().map(SearchHit::getMediaId).toList())
        .containsSequence(List.of(twin0, twin1).stream().sorted().toList())
        .hasSize(8);
    assertLikeOneIndex(Status.Code.OK, s -> s.rerank(request));
    assertLikeOneIndex(
        Status.Code.OK, s -> s.rerank(request.toBuilder().setTenant("other").build()));
    assertLikeOneIndex(
        Status.Code.INVALID_ARGUMENT, s -> s.rerank(request.toBuilder().addMediaIds("").build()));
  }

  /**
   * The coordinator and the receiving shard answer as the single index: the same message, or the
   * same error (code, message and details).
   */
  private void assertLikeOneIndex(
      Status.Code expected, Function<RetrievalGrpcService, Uni<?>> call) {
    Object viaOne = outcome(call.apply(oneIndex));
    Status.Code code =
        viaOne instanceof com.google.rpc.Status s
            ? Status.fromCodeValue(s.getCode()).getCode()
            : Status.Code.OK;
    assertThat(code).as("single index answers %s", viaOne).isEqualTo(expected);
    assertThat(outcome(call.apply(coordinator))).as("coordinator").isEqualTo(viaOne);
    assertThat(outcome(call.apply(receivingShard))).as("receiving shard").isEqualTo(viaOne);
  }

  /** The response, or the error's google.rpc.Status with its details. */
  private static Object outcome(Uni<?> answer) {
    try {
      return answer.await().indefinitely();
    } catch (StatusRuntimeException e) {
      return StatusProto.fromThrowable(e);
    }
  }

  private static RankTextsRequest.Builder rankTexts(String mediaId, List<String> texts) {
    return RankTextsRequest.newBuilder()
        .setTenant("default")
        .setImage(ImageTarget.newBuilder().setMediaId(mediaId))
        .addAllTexts(texts);
  }

  private static ClassifyRequest.Builder classify(String mediaId, List<String> labels) {
    return ClassifyRequest.newBuilder()
        .setTenant("default")
        .setImage(ImageTarget.newBuilder().setMediaId(mediaId))
        .addAllLabels(labels);
  }

  private void assertAllSame(SearchRequest... requests) {
    for (SearchRequest request : requests) {
      assertSame(request, search(request), ProtoMapper.toResponse(single.search(request)));
    }
  }

  private static void assertSame(
      SearchRequest request, SearchResponse viaShards, SearchResponse viaOne) {
    assertThat(viaOne.getHitsCount()).as("single index answers %s", request).isPositive();
    assertThat(ids(viaShards)).as("%s", request).isEqualTo(ids(viaOne));
    for (int i = 0; i < viaOne.getHitsCount(); i++) {
      SearchHit s = viaShards.getHits(i);
      SearchHit o = viaOne.getHits(i);
      assertThat(s.getScore())
          .as("%s score of %s", request, o.getMediaId())
          .isCloseTo(o.getScore(), within(1e-5f));
      assertThat(s.getSourceScoresMap().keySet()).isEqualTo(o.getSourceScoresMap().keySet());
      o.getSourceScoresMap()
          .forEach(
              (source, score) ->
                  assertThat(s.getSourceScoresMap().get(source))
                      .as(source)
                      .isCloseTo(score, within(1e-5f)));
      assertThat(s.getCaption()).isEqualTo(o.getCaption());
      assertThat(s.getObjectsList()).isEqualTo(o.getObjectsList());
      assertThat(s.getSafetyList()).isEqualTo(o.getSafetyList());
      assertThat(s.getUnsafeScore()).isEqualTo(o.getUnsafeScore());
      assertThat(s.getImageVectorsList())
          .as("vectors stay between the shards and the coordinator")
          .isEmpty();
    }
    assertThat(viaShards.getModelVersion()).isEqualTo(viaOne.getModelVersion());
    assertThat(viaShards.getNextPageToken()).isEqualTo(viaOne.getNextPageToken());
  }

  private SearchResponse search(SearchRequest request) {
    return coordinator.searchResponse(request);
  }

  private GetMediaResponse getMedia(String id) {
    return coordinator
        .getMedia(GetMediaRequest.newBuilder().setTenant("default").setMediaId(id).build())
        .await()
        .indefinitely();
  }

  private static SearchRequest.Builder text(String text) {
    return SearchRequest.newBuilder().setTenant("default").setText(text);
  }

  private static ImageSource image(String colour) {
    return ImageSource.newBuilder().setData(ByteString.copyFromUtf8(colour)).build();
  }

  private static Timestamp ts(Instant t) {
    return ProtoMapper.timestamp(t);
  }

  private static List<String> ids(SearchResponse response) {
    return response.getHitsList().stream().map(SearchHit::getMediaId).toList();
  }

  /** The shard whose partitions hold a key: Kafka's default partitioner, then p mod shards. */
  static int shardOf(String mediaId, int partitions) {
    int partition =
        Utils.toPositive(Utils.murmur2(mediaId.getBytes(StandardCharsets.UTF_8))) % partitions;
    return partition % SHARDS;
  }

  /**
   * An id whose ingest and caption events (4 partitions) go to one shard and its embeddings (3
   * partitions) to another.
   */
  private static String splitId(int ingestShard, int embeddingShard) {
    for (int i = 0; ; i++) {
      if (shardOf("split-" + i, 4) == ingestShard && shardOf("split-" + i, 3) == embeddingShard) {
        return "split-" + i;
      }
    }
  }

  private static String idOnShard(int shard) {
    return idOnShard("item-", shard);
  }

  private static String idOnShard(String prefix, int shard) {
    for (int i = 0; ; i++) {
      if (shardOf(prefix + i, PARTITIONS) == shard) {
        return prefix + i;
      }
    }
  }

  private LuceneMediaIndex open(String name) throws IOException {
    LuceneMediaIndex index = LuceneMediaIndex.open(dir.resolve(name));
    indexes.add(index);
    return index;
  }

  private void seed(LuceneMediaIndex index, List<IndexChange> changes) {
    new IndexUpdater(index, encoder, "minilm", "default", Duration.ofMillis(1))
        .apply(changes.stream().map(c -> new IndexUpdater.Record(c, null)).toList(), () -> true);
  }

  /**
   * Ingest (metadata, tag, content type), a random 4-dim CLIP vector (every fourth item a near copy
   * of the previous one), a caption of 1-4 random words and, for most items, 0-2 detected objects
   * and a safety score (some unscored) per item; fixed seeds.
   */
  private static List<IndexChange> items() {
    Random random = new Random(42);
    Random vision = new Random(7);
    List<IndexChange> changes = new ArrayList<>();
    Instant t0 = Instant.parse("2026-02-01T00:00:00Z");
    String[] places = {"north", "south", "harbour", "city"};
    float[] previous = null;
    for (int i = 0; i < ITEMS; i++) {
      String id = "item-" + i;
      Map<String, String> metadata =
          Map.of("n", "number " + i, "place", places[random.nextInt(places.length)]);
      String type = i % 3 == 0 ? "image/jpeg" : "image/png";
      changes.add(
          new IndexChange.Ingested(
              id,
              "default",
              type,
              metadata,
              List.of(i % 2 == 0 ? "even" : "odd"),
              t0.plusSeconds(i)));
      float[] v = new float[4];
      for (int d = 0; d < 4; d++) {
        v[d] =
            i % 4 == 3
                ? previous[d] + 0.05f * (float) random.nextGaussian()
                : (float) random.nextGaussian();
      }
      previous = v;
      changes.add(
          new IndexChange.Embedded(
              new MediaEmbedding(
                  id, "default", type, Map.of(), List.of(), null, t0, FakeQueryEncoder.CLIP, v)));
      StringBuilder caption = new StringBuilder();
      for (int w = random.nextInt(4); w >= 0; w--) {
        caption.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
      }
      changes.add(
          new IndexChange.Captioned(
              id, "default", caption.toString().trim(), "captioner@1", "", "", t0));
      if (i % 5 != 4) {
        List<DetectedObject> objects = new ArrayList<>();
        for (int o = vision.nextInt(3); o > 0; o--) {
          objects.add(
              TestVision.object(
                  LABELS[vision.nextInt(LABELS.length)], 0.3f + 0.7f * vision.nextFloat()));
        }
        float unsafe = i % 7 == 0 ? Float.NaN : vision.nextFloat();
        changes.add(
            TestVision.analysed(id, "default", unsafe, objects.toArray(DetectedObject[]::new)));
      }
    }
    return changes;
  }

  /**
   * CLIP as the colour fake; "minilm" as a pseudo-random unit vector per text (seeded by the text),
   * so no two different texts tie — ties would let equal scores come back in any order.
   */
  static final class SeededEncoder implements QueryEncoder {
    private final FakeQueryEncoder colours = new FakeQueryEncoder();

    @Override
    public List<Embedding> encodeTexts(List<String> texts, String model) {
      if (!"minilm".equals(model)) {
        return colours.encodeTexts(texts, model);
      }
      List<Embedding> out = new ArrayList<>();
      for (String t : texts) {
        Random r = new Random(t.hashCode());
        float[] v = new float[16];
        for (int i = 0; i < v.length; i++) {
          v[i] = (float) r.nextGaussian();
        }
        out.add(FakeQueryEncoder.embedding(FakeQueryEncoder.MINILM, v));
      }
      return out;
    }

    @Override
    public Embedding encodeImage(ImageSource image, String model) {
      return colours.encodeImage(image, model);
    }
  }
}
