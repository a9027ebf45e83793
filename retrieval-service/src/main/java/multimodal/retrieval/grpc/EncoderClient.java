package multimodal.retrieval.grpc;

import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.TimeUnit;
import multimodal.retrieval.EncoderUnavailableException;
import multimodal.retrieval.InvalidRequestException;
import multimodal.retrieval.ModelNotFoundException;
import multimodal.retrieval.QueryEncoder;
import multimodal.retrieval.config.RetrievalConfig;
import multimodal.v1.Embedding;
import multimodal.v1.EncodeImagesRequest;
import multimodal.v1.EncodeTextsRequest;
import multimodal.v1.EncoderServiceGrpc;
import multimodal.v1.ImageSource;

/**
 * Calls the EncoderService (gRPC client {@code encoder}) and maps its status codes back to domain
 * exceptions. Blocking: call from a worker thread.
 */
@ApplicationScoped
public class EncoderClient implements QueryEncoder {
  private final EncoderServiceGrpc.EncoderServiceBlockingStub stub;
  private final long timeoutMillis;

  EncoderClient(
      @GrpcClient("encoder") EncoderServiceGrpc.EncoderServiceBlockingStub stub,
      RetrievalConfig config) {
    this.stub = stub;
    this.timeoutMillis = config.encoder().timeout().toMillis();
  }

  @Override
  public List<Embedding> encodeTexts(List<String> texts, String model) {
    EncodeTextsRequest request =
        EncodeTextsRequest.newBuilder()
            .addAllTexts(texts)
            .setModel(model == null ? "" : model)
            .build();
    try {
      List<Embedding> embeddings = deadlined().encodeTexts(request).getEmbeddingsList();
      if (embeddings.size() != texts.size()) {
        throw new EncoderUnavailableException(
            "encoder returned " + embeddings.size() + " embeddings for " + texts.size() + " texts",
            null);
      }
      return embeddings;
    } catch (StatusRuntimeException e) {
      throw map(e, "text", model);
    }
  }

  @Override
  public Embedding encodeImage(ImageSource image, String model) {
    EncodeImagesRequest request =
        EncodeImagesRequest.newBuilder()
            .addImages(image)
            .setModel(model == null ? "" : model)
            .build();
    try {
      return single(deadlined().encodeImages(request).getEmbeddingsList());
    } catch (StatusRuntimeException e) {
      throw map(e, "image", model);
    }
  }

  private EncoderServiceGrpc.EncoderServiceBlockingStub deadlined() {
    return stub.withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS);
  }

  private static Embedding single(List<Embedding> embeddings) {
    if (embeddings.size() != 1) {
      throw new IllegalStateException(
          "encoder returned " + embeddings.size() + " embeddings for 1 input");
    }
    return embeddings.get(0);
  }

  private static RuntimeException map(StatusRuntimeException e, String field, String model) {
    String description = e.getStatus().getDescription();
    return switch (e.getStatus().getCode()) {
      case INVALID_ARGUMENT ->
          new InvalidRequestException(field, "encoder rejected the query: " + description);
      case NOT_FOUND ->
          new ModelNotFoundException(
              model, "encoder does not serve model '" + model + "': " + description);
      default ->
          new EncoderUnavailableException(
              "encoder failed with "
                  + e.getStatus().getCode()
                  + (description == null ? "" : ": " + description),
              e);
    };
  }
}
