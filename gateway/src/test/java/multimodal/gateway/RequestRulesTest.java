package multimodal.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import multimodal.v1.AnalyzeRequest;
import multimodal.v1.AskRequest;
import multimodal.v1.Bm25Statistics;
import multimodal.v1.CaptionRequest;
import multimodal.v1.ClassifyRequest;
import multimodal.v1.GetMediaRequest;
import multimodal.v1.ImageSource;
import multimodal.v1.ImageTarget;
import multimodal.v1.OcrRequest;
import multimodal.v1.RankTextsRequest;
import multimodal.v1.RerankRequest;
import multimodal.v1.SearchFilter;
import multimodal.v1.SearchRequest;
import multimodal.v1.SourceWeights;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The shared input rules, and the generator and retrieval requests checked by them. */
class RequestRulesTest {
  private static final Path HORSE = Path.of("../testdata/images/horse.png");
  private static final String BLOB_URL = "http://gateway:8080/internal/blobs/" + "0".repeat(64);

  private final RequestRules rules = new RequestRules(1024 * 1024, 3);
  private final GeneratorRequests generator = new GeneratorRequests(rules);
  private final RetrievalRequests retrieval = new RetrievalRequests(rules);

  /**
   * By value (gRPC IngestMedia, inline) audio and video keep the image limit, and the refusal says
   * where a larger file may go; as an uploaded file they have their own limit.
   */
  @Test
  void audioAndVideoByValueKeepTheImageLimitAndSayWhereLargerFilesGo() {
    RequestRules split = new RequestRules(1024, 4096, 3);
    byte[] video = new byte[1025];
    System.arraycopy(
        "\0\0\0\u0018ftyp".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, video, 0, 8);

    assertThatThrownBy(() -> split.upload(video))
        .isInstanceOf(RequestRefused.class)
        .hasMessage(
            "the video/mp4 file has 1025 bytes; the limit is 1024 (gateway.upload.max-bytes) for"
                + " audio and video sent by value (gRPC IngestMedia); upload larger files with REST"
                + " POST /v1/media, up to 4096 bytes");
    assertThat(split.uploadedFile(java.util.Arrays.copyOf(video, 64), 4096)).isEqualTo("video/mp4");
    assertThatThrownBy(() -> split.uploadedFile(java.util.Arrays.copyOf(video, 64), 4097))
        .hasMessageContaining("the limit is 4096 for audio and video");
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    assertThatThrownBy(() -> split.uploadedFile(png, 1025))
        .hasMessage("the image has 1025 bytes; the limit is 1024");
  }

  private static ImageSource png() throws IOException {
    return ImageSource.newBuilder().setData(ByteString.copyFrom(Files.readAllBytes(HORSE))).build();
  }

  private static ImageSource uri(String uri) {
    return ImageSource.newBuilder().setUri(uri).build();
  }

  private static void refused(
      ThrowingCallable call, RequestRefused.Reason reason, String field, String words) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            RequestRefused.class,
            e -> {
              assertThat(e.reason()).isEqualTo(reason);
              assertThat(e.field()).isEqualTo(field);
            })
        .hasMessageContaining(words);
  }

  @Test
  void imageBytesAreBoundedAndMustBeAnImage() {
    byte[] big = new byte[1024 * 1024 + 1];
    System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, 0, big, 0, 8);

    refused(
        () ->
            rules.imageSource(
                ImageSource.newBuilder().setData(ByteString.copyFrom(big)).build(), "images[0]"),
        RequestRefused.Reason.MEDIA_TOO_LARGE,
        "images[0].data",
        "1048577 bytes");
    refused(
        () ->
            rules.imageSource(
                ImageSource.newBuilder().setData(ByteString.copyFromUtf8("hello")).build(),
                "image"),
        RequestRefused.Reason.UNSUPPORTED_IMAGE,
        "image.data",
        "not a JPEG");
    refused(
        () -> rules.imageSource(ImageSource.getDefaultInstance(), "image"),
        RequestRefused.Reason.INVALID_REQUEST,
        "image",
        "'data' or 'uri'");
    refused(() -> rules.image(new byte[0]), RequestRefused.Reason.INVALID_REQUEST, null, "empty");
  }

  @Test
  void everyGeneratorCallRefusesTheInternalBlobRoute() {
    String words = "internal blob route";
    refused(
        () -> generator.caption(CaptionRequest.newBuilder().addImages(uri(BLOB_URL)).build()),
        RequestRefused.Reason.INVALID_REQUEST,
        "images[0].uri",
        words);
    refused(
        () -> generator.ocr(OcrRequest.newBuilder().addImages(uri(BLOB_URL)).build()),
        RequestRefused.Reason.INVALID_REQUEST,
        "images[0].uri",
        words);
    refused(
        () -> generator.analyze(AnalyzeRequest.newBuilder().addImages(uri(BLOB_URL)).build()),
        RequestRefused.Reason.INVALID_REQUEST,
        "images[0].uri",
        words);
    refused(
        () ->
            generator.ask(
                AskRequest.newBuilder().setImage(uri(BLOB_URL)).setQuestion("what?").build()),
        RequestRefused.Reason.INVALID_REQUEST,
        "image.uri",
        words);
  }

  @Test
  void everyRetrievalCallRefusesTheInternalBlobRoute() {
    ImageTarget target = ImageTarget.newBuilder().setImage(uri(BLOB_URL)).build();
    String words = "internal blob route";
    refused(
        () -> retrieval.search(SearchRequest.newBuilder().setImage(uri(BLOB_URL)).build()),
        RequestRefused.Reason.INVALID_REQUEST,
        "image.uri",
        words);
    refused(
        () ->
            retrieval.rankTexts(
                RankTextsRequest.newBuilder().setImage(target).addTexts("a").build()),
        RequestRefused.Reason.INVALID_REQUEST,
        "image.uri",
        words);
    refused(
        () ->
            retrieval.classify(
                ClassifyRequest.newBuilder().setImage(target).addLabels("a").build()),
        RequestRefused.Reason.INVALID_REQUEST,
        "image.uri",
        words);
  }

  @Test
  void generatorBounds() throws IOException {
    ImageSource png = png();
    refused(
        () -> generator.caption(CaptionRequest.getDefaultInstance()),
        RequestRefused.Reason.INVALID_REQUEST,
        "images",
        "at least one");
    refused(
        () ->
            generator.caption(
                CaptionRequest.newBuilder().addAllImages(Collections.nCopies(4, png)).build()),
        RequestRefused.Reason.INVALID_REQUEST,
        "images",
        "at most 3 items per batch, got 4");
    refused(
        () -> generator.ask(AskRequest.newBuilder().setImage(png).setQuestion(" ").build()),
        RequestRefused.Reason.INVALID_REQUEST,
        "question",
        "must not be blank");
    refused(
        () ->
            generator.ask(
                AskRequest.newBuilder().setImage(png).setQuestion("x".repeat(2049)).build()),
        RequestRefused.Reason.INVALID_REQUEST,
        "question",
        "longer than 2048");
    refused(
        () ->
            generator.ask(
                AskRequest.newBuilder()
                    .setImage(png)
                    .setQuestion("q")
                    .setMaxNewTokens(1025)
                    .build()),
        RequestRefused.Reason.INVALID_REQUEST,
        "maxNewTokens",
        "1..1024");
    refused(
        () -> generator.ask(AskRequest.newBuilder().setQuestion("q").build()),
        RequestRefused.Reason.INVALID_REQUEST,
        "image",
        "'data' or 'uri'");
    refused(
        () ->
            generator.ocr(
                OcrRequest.newBuilder()
                    .addImages(png)
                    .addAllLanguages(Collections.nCopies(17, "eng"))
                    .build()),
        RequestRefused.Reason.INVALID_REQUEST,
        "languages",
        "at most 16");
    refused(
        () ->
            generator.analyze(AnalyzeRequest.newBuilder().addImages(png).setMinScore(1.5f).build()),
        RequestRefused.Reason.INVALID_REQUEST,
        "minScore",
        "0..1");

    assertThat(
            generator
                .ask(AskRequest.newBuilder().setImage(png).setQuestion("  what colour?  ").build())
                .getQuestion())
        .isEqualTo("what colour?");
    assertThat(
            generator
                .caption(
                    CaptionRequest.newBuilder()
                        .addImages(png)
                        .addImages(uri("https://example.com/a.png"))
                        .build())
                .getImagesCount())
        .isEqualTo(2);
  }

  @Test
  void retrievalBounds() {
    ImageTarget item = ImageTarget.newBuilder().setMediaId("m-1").build();
    refused(
        () -> retrieval.search(SearchRequest.newBuilder().setText("x").setK(1001).build()),
        RequestRefused.Reason.INVALID_REQUEST,
        "k",
        "'k'");
    refused(
        () -> retrieval.search(SearchRequest.newBuilder().setText("x").setK(-1).build()),
        RequestRefused.Reason.INVALID_REQUEST,
        "k",
        "'k'");
    refused(
        () -> retrieval.search(SearchRequest.newBuilder().setMediaId("a/b").build()),
        RequestRefused.Reason.INVALID_REQUEST,
        "mediaId",
        "mediaId must match");
    refused(
        () -> retrieval.search(SearchRequest.getDefaultInstance()),
        RequestRefused.Reason.INVALID_REQUEST,
        null,
        "a search needs");
    refused(
        () ->
            retrieval.search(SearchRequest.newBuilder().setText("x").setDedupeThreshold(2).build()),
        RequestRefused.Reason.INVALID_REQUEST,
        "dedupe",
        "'dedupe'");
    refused(
        () ->
            retrieval.search(
                SearchRequest.newBuilder()
                    .setText("x")
                    .setWeights(SourceWeights.newBuilder().setBm25(-1))
                    .build()),
        RequestRefused.Reason.INVALID_REQUEST,
        "bm25Weight",
        "'bm25Weight'");
    refused(
        () ->
            retrieval.search(
                SearchRequest.newBuilder()
                    .setText("x")
                    .setFilter(SearchFilter.newBuilder().setUnsafeThreshold(1.5f))
                    .build()),
        RequestRefused.Reason.INVALID_REQUEST,
        "filter.unsafeThreshold",
        "'unsafeThreshold'");
    refused(
        () ->
            retrieval.classify(
                ClassifyRequest.newBuilder()
                    .setImage(item)
                    .addAllLabels(Collections.nCopies(257, "a"))
                    .build()),
        RequestRefused.Reason.INVALID_REQUEST,
        "labels",
        "at most 256 labels");
    refused(
        () -> retrieval.rankTexts(RankTextsRequest.newBuilder().setImage(item).build()),
        RequestRefused.Reason.INVALID_REQUEST,
        "texts",
        "at least one");
    refused(
        () -> retrieval.rankTexts(RankTextsRequest.newBuilder().addTexts("a").build()),
        RequestRefused.Reason.INVALID_REQUEST,
        "image",
        "exactly one");
    refused(
        () -> retrieval.getMedia(GetMediaRequest.newBuilder().setMediaId("").build()),
        RequestRefused.Reason.INVALID_REQUEST,
        "mediaId",
        "mediaId must match");
    refused(
        () ->
            retrieval.rerank(
                RerankRequest.newBuilder()
                    .setText("x")
                    .addMediaIds("ok")
                    .addMediaIds("not ok")
                    .build()),
        RequestRefused.Reason.INVALID_REQUEST,
        "mediaIds[1]",
        "must match");
  }

  @Test
  void theShardsFanOutFieldsNeverPassTheFrontDoor() {
    SearchRequest search =
        retrieval.search(
            SearchRequest.newBuilder()
                .setText("x")
                .setShardLocal(true)
                .setShardPrepare(true)
                .setIncludeVectors(true)
                .setBm25Statistics(
                    Bm25Statistics.newBuilder()
                        .addFields(
                            multimodal.v1.Bm25FieldStatistics.newBuilder()
                                .setField("caption")
                                .setMaxDoc(1)))
                .build());
    assertThat(search.getShardLocal()).isFalse();
    assertThat(search.getShardPrepare()).isFalse();
    assertThat(search.getIncludeVectors()).isFalse();
    assertThat(search.hasBm25Statistics()).isFalse();
    assertThat(
            retrieval
                .getMedia(GetMediaRequest.newBuilder().setMediaId("m").setShardLocal(true).build())
                .getShardLocal())
        .isFalse();
    assertThat(
            retrieval
                .rerank(
                    RerankRequest.newBuilder()
                        .setText("x")
                        .addMediaIds("m")
                        .setShardLookup(true)
                        .build())
                .getShardLookup())
        .isFalse();
  }

  @Test
  void textsAreStrippedAsRestAlwaysDid() {
    ClassifyRequest checked =
        retrieval.classify(
            ClassifyRequest.newBuilder()
                .setImage(ImageTarget.newBuilder().setMediaId("m"))
                .addAllLabels(List.of(" a cat ", "a dog"))
                .build());
    assertThat(checked.getLabelsList()).containsExactly("a cat", "a dog");
  }
}
