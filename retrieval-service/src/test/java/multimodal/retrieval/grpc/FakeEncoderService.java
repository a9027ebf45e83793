package multimodal.retrieval.grpc;

import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import multimodal.v1.EncodeImagesRequest;
import multimodal.v1.EncodeImagesResponse;
import multimodal.v1.EncodeTextsRequest;
import multimodal.v1.EncodeTextsResponse;
import multimodal.v1.Embedding;
import multimodal.v1.ImageSource;
import multimodal.v1.ListModelsRequest;
import multimodal.v1.ListModelsResponse;
import multimodal.v1.ModelInfo;

/**
 * A deterministic EncoderService served in the test app itself: colour words map to axis
 * vectors; an image's inline bytes are read as such a word. "unavailable" fails like a down
 * encoder.
 */
@GrpcService
public class FakeEncoderService implements multimodal.v1.EncoderService {
  public static final String MODEL = "clip";
  public static final String VERSION = "fake-1";
  static final Map<String, float[]> VECTORS =
      Map.of(
          "red", new float[] {1, 0, 0, 0},
          "green", new float[] {0, 1, 0, 0},
          "blue", new float[] {0, 0, 1, 0},
          "yellow", new float[] {1, 1, 0, 0});

  public static Embedding embedding(String word) {
    float[] v = VECTORS.getOrDefault(word, new float[] {0, 0, 0, 1});
    Embedding.Builder e = Embedding.newBuilder().setModelName(MODEL).setModelVersion(VERSION).setDimension(v.length);
    for (float x : v) {
      e.addValues(x);
    }
    return e.build();
  }

  @Override
  public Uni<EncodeTextsResponse> encodeTexts(EncodeTextsRequest request) {
    if (request.getTextsList().contains("unavailable")) {
      return Uni.createFrom().failure(Status.UNAVAILABLE.withDescription("warming up").asRuntimeException());
    }
    EncodeTextsResponse.Builder response = EncodeTextsResponse.newBuilder();
    request.getTextsList().forEach(t -> response.addEmbeddings(embedding(t)));
    return Uni.createFrom().item(response.build());
  }

  @Override
  public Uni<EncodeImagesResponse> encodeImages(EncodeImagesRequest request) {
    EncodeImagesResponse.Builder response = EncodeImagesResponse.newBuilder();
    for (ImageSource image : request.getImagesList()) {
      response.addEmbeddings(embedding(image.getData().toString(StandardCharsets.UTF_8)));
    }
    return Uni.createFrom().item(response.build());
  }

  @Override
  public Uni<ListModelsResponse> listModels(ListModelsRequest request) {
    return Uni.createFrom()
        .item(
            ListModelsResponse.newBuilder()
                .addModels(ModelInfo.newBuilder().setName(MODEL).setVersion(VERSION).setDimension(4).setFixture(true).setIsDefault(true))
                .build());
  }

  @Override
  public Uni<multimodal.v1.TokenizeResponse> tokenize(multimodal.v1.TokenizeRequest request) {
    return Uni.createFrom()
        .failure(Status.UNIMPLEMENTED.withDescription("not faked").asRuntimeException());
  }
}
