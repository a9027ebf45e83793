package multimodal.retrieval.grpc;

import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import multimodal.retrieval.FakeQueryEncoder;
import multimodal.retrieval.ModelNotFoundException;
import multimodal.v1.Embedding;
import multimodal.v1.EncodeImagesRequest;
import multimodal.v1.EncodeImagesResponse;
import multimodal.v1.EncodeTextsRequest;
import multimodal.v1.EncodeTextsResponse;
import multimodal.v1.ListModelsRequest;
import multimodal.v1.ListModelsResponse;
import multimodal.v1.ModelInfo;

/**
 * The {@link FakeQueryEncoder} served as an EncoderService in the test app itself (colour CLIP
 * "clip", hashed bag-of-words "minilm"). The text "unavailable" fails like a down encoder.
 */
@GrpcService
public class FakeEncoderService implements multimodal.v1.EncoderService {
  public static final String MODEL = "clip";
  public static final String VERSION = "fake-1";
  private final FakeQueryEncoder fake = new FakeQueryEncoder();

  public static Embedding embedding(String word) {
    return FakeQueryEncoder.embedding(FakeQueryEncoder.CLIP, FakeQueryEncoder.colour(word));
  }

  @Override
  public Uni<EncodeTextsResponse> encodeTexts(EncodeTextsRequest request) {
    if (request.getTextsList().contains("unavailable")) {
      return Uni.createFrom()
          .failure(Status.UNAVAILABLE.withDescription("warming up").asRuntimeException());
    }
    try {
      return Uni.createFrom()
          .item(
              EncodeTextsResponse.newBuilder()
                  .addAllEmbeddings(fake.encodeTexts(request.getTextsList(), request.getModel()))
                  .build());
    } catch (ModelNotFoundException e) {
      return Uni.createFrom()
          .failure(Status.NOT_FOUND.withDescription(e.getMessage()).asRuntimeException());
    }
  }

  @Override
  public Uni<EncodeImagesResponse> encodeImages(EncodeImagesRequest request) {
    EncodeImagesResponse.Builder response = EncodeImagesResponse.newBuilder();
    request
        .getImagesList()
        .forEach(image -> response.addEmbeddings(fake.encodeImage(image, request.getModel())));
    return Uni.createFrom().item(response.build());
  }

  @Override
  public Uni<ListModelsResponse> listModels(ListModelsRequest request) {
    return Uni.createFrom()
        .item(
            ListModelsResponse.newBuilder()
                .addModels(
                    ModelInfo.newBuilder()
                        .setName(MODEL)
                        .setVersion(VERSION)
                        .setDimension(4)
                        .setFixture(true)
                        .setIsDefault(true))
                .build());
  }

  @Override
  public Uni<multimodal.v1.TokenizeResponse> tokenize(multimodal.v1.TokenizeRequest request) {
    return Uni.createFrom()
        .failure(Status.UNIMPLEMENTED.withDescription("not faked").asRuntimeException());
  }
}
