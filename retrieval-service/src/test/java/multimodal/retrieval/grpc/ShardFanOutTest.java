package multimodal.retrieval.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import multimodal.retrieval.FakeQueryEncoder;
import multimodal.retrieval.IndexChange;
import multimodal.retrieval.MediaEmbedding;
import multimodal.retrieval.MediaSearch;
import multimodal.retrieval.QueryEncoder;
import multimodal.retrieval.TestConfigs;
import multimodal.retrieval.ZeroShot;
import multimodal.retrieval.config.RetrievalConfig;
import multimodal.retrieval.index.IndexUpdater;
import multimodal.retrieval.index.LuceneMediaIndex;
import multimodal.v1.Embedding;
import multimodal.v1.ImageSource;
import multimodal.v1.RetrievalServiceGrpc;
import multimodal.v1.SearchFilter;
import multimodal.v1.SearchHit;
import multimodal.v1.SearchMode;
import multimodal.v1.SearchRequest;
import multimodal.v1.SearchResponse;
import multimodal.v1.SourceWeights;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two shards, each a gRPC server over its own index holding half of the items, queried through
 * the fan-out path, answer exactly as one index holding all items.
 */
class ShardFanOutTest {
  static final int ITEMS = 60;
  static final String[] WORDS = {"red", "green", "blue", "yellow", "boat", "truck", "sea", "sky"};

  @TempDir Path dir;
  final List<LuceneMediaIndex> indexes = new ArrayList<>();
  final List<Server> servers = new ArrayList<>();
  final QueryEncoder encoder = new SeededEncoder();
  MediaSearch single;
  ShardFanOut fanOut;

  @BeforeEach
  void startShards() throws IOException {
    RetrievalConfig plain = TestConfigs.config(Map.of());
    LuceneMediaIndex whole = open("whole");
    List<IndexChange> all = items();
    seed(whole, all);
    single = new MediaSearch(whole, encoder, plain, new SimpleMeterRegistry());
    List<String> peers = new ArrayList<>();
    for (int shard = 0; shard < 2; shard++) {
      LuceneMediaIndex index = open("shard" + shard);
      int s = shard;
      seed(index, all.stream().filter(c -> Math.floorMod(c.mediaId().hashCode(), 2) == s).toList());
      MediaSearch local = new MediaSearch(index, encoder, plain, new SimpleMeterRegistry());
      RetrievalGrpcService service =
          new RetrievalGrpcService(local, new ShardFanOut(local, plain), new ZeroShot(encoder, local, plain));
      Server server =
          NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(RetrievalGrpcServiceAccess.plainGrpc(service)).build().start();
      servers.add(server);
      peers.add("127.0.0.1:" + server.getPort());
    }
    fanOut = new ShardFanOut(single, TestConfigs.config(Map.of("shard.peers", peers)));
  }

  @AfterEach
  void stop() throws IOException {
    fanOut.close();
    servers.forEach(Server::shutdownNow);
    for (LuceneMediaIndex index : indexes) {
      index.close();
    }
  }

  @Test
  void fanOutOverTwoShardsAnswersLikeOneIndex() {
    Embedding probe = FakeQueryEncoder.embedding(FakeQueryEncoder.CLIP, new float[] {0.3f, -0.2f, 0.9f, 0.1f});
    List<SearchRequest> requests =
        List.of(
            SearchRequest.newBuilder().setText("red").setMode(SearchMode.SEARCH_MODE_VECTOR).setK(15).build(),
            SearchRequest.newBuilder().setEmbedding(probe).setK(20).setMinScore(0.2f).build(),
            SearchRequest.newBuilder().setImage(ImageSource.newBuilder().setData(com.google.protobuf.ByteString.copyFromUtf8("blue"))).setK(7).build(),
            SearchRequest.newBuilder().setText("sea boat").setMode(SearchMode.SEARCH_MODE_TEXT).setWeights(SourceWeights.newBuilder().setBm25(0)).setK(12).setExplain(true).build(),
            SearchRequest.newBuilder().setText("blue sky").setWeights(SourceWeights.newBuilder().setBm25(0).setClip(2)).setK(25).setExplain(true).build(),
            SearchRequest.newBuilder().setText("green").setMode(SearchMode.SEARCH_MODE_VECTOR).setFilter(SearchFilter.newBuilder().addTags("even")).setK(10).build());
    for (SearchRequest request : requests) {
      assertSame(request, fanOut.search(request), ProtoMapper.toResponse(single.search(request)));
    }
  }

  @Test
  void pagesThroughShardsLikeThroughOneIndex() {
    SearchRequest first = SearchRequest.newBuilder().setText("yellow").setMode(SearchMode.SEARCH_MODE_VECTOR).setK(8).build();
    SearchResponse viaShards = fanOut.search(first);
    SearchResponse viaOne = ProtoMapper.toResponse(single.search(first));
    for (int page = 0; page < 3; page++) {
      assertSame(first, viaShards, viaOne);
      assertThat(viaShards.getNextPageToken()).isEqualTo(viaOne.getNextPageToken()).isNotEmpty();
      viaShards = fanOut.search(first.toBuilder().setPageToken(viaShards.getNextPageToken()).build());
      viaOne = ProtoMapper.toResponse(single.search(first.toBuilder().setPageToken(viaOne.getNextPageToken()).build()));
    }
  }

  private static void assertSame(SearchRequest request, SearchResponse viaShards, SearchResponse viaOne) {
    assertThat(viaOne.getHitsCount()).as("single index answers %s", request).isPositive();
    assertThat(ids(viaShards)).as("%s", request).isEqualTo(ids(viaOne));
    for (int i = 0; i < viaOne.getHitsCount(); i++) {
      assertThat(viaShards.getHits(i).getScore()).isCloseTo(viaOne.getHits(i).getScore(), within(1e-5f));
      assertThat(viaShards.getHits(i).getSourceScoresMap().keySet()).isEqualTo(viaOne.getHits(i).getSourceScoresMap().keySet());
      assertThat(viaShards.getHits(i).getCaption()).isEqualTo(viaOne.getHits(i).getCaption());
    }
    assertThat(viaShards.getModelVersion()).isEqualTo(viaOne.getModelVersion());
  }

  private static List<String> ids(SearchResponse response) {
    return response.getHitsList().stream().map(SearchHit::getMediaId).toList();
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

  /** Ingest, a random 4-dim CLIP vector and a caption of random words per item; fixed seed. */
  private static List<IndexChange> items() {
    Random random = new Random(42);
    List<IndexChange> changes = new ArrayList<>();
    Instant t0 = Instant.parse("2026-02-01T00:00:00Z");
    for (int i = 0; i < ITEMS; i++) {
      String id = "item-" + i;
      changes.add(new IndexChange.Ingested(id, "default", "image/png", Map.of("n", "number " + i), List.of(i % 2 == 0 ? "even" : "odd"), t0.plusSeconds(i)));
      float[] v = new float[4];
      for (int d = 0; d < 4; d++) {
        v[d] = (float) random.nextGaussian();
      }
      changes.add(new IndexChange.Embedded(new MediaEmbedding(id, "default", "image/png", Map.of(), List.of(), null, t0, FakeQueryEncoder.CLIP, v)));
      String caption = WORDS[random.nextInt(WORDS.length)] + " " + WORDS[random.nextInt(WORDS.length)] + " " + i;
      changes.add(new IndexChange.Captioned(id, "default", caption, "captioner@1", "", "", t0));
    }
    return changes;
  }

  /**
   * CLIP as the colour fake; "minilm" as a pseudo-random unit vector per text (seeded by the
   * text), so no two different texts tie — ties would let equal scores come back in any order.
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
