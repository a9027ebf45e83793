package multimodal.encoder.grpc;

import ai.onnxruntime.OrtException;
import io.quarkus.grpc.GrpcService;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import multimodal.encoder.Embedding;
import multimodal.encoder.EncoderMetrics;
import multimodal.encoder.InvalidInputException;
import multimodal.encoder.ServedModels;
import multimodal.encoder.config.EncoderConfig;
import multimodal.encoder.fetch.MediaFetcher;
import multimodal.encoder.inference.ClipModel;
import multimodal.encoder.inference.ModelRegistry;
import multimodal.encoder.inference.TokenizedText;
import multimodal.v1.EncodeImagesRequest;
import multimodal.v1.EncodeImagesResponse;
import multimodal.v1.EncodeTextsRequest;
import multimodal.v1.EncodeTextsResponse;
import multimodal.v1.EncoderService;
import multimodal.v1.ImageSource;
import multimodal.v1.ListModelsRequest;
import multimodal.v1.ListModelsResponse;
import multimodal.v1.TokenizeRequest;
import multimodal.v1.TokenizeResponse;

/**
 * gRPC {@code EncoderService}. Inference blocks, so every RPC runs on a worker thread
 * ({@code @Blocking}), never on the event loop; each request is one session run per tower.
 */
@GrpcService
public class EncoderGrpcService implements EncoderService {
  private final ServedModels models;
  private final MediaFetcher fetcher;
  private final EncoderMetrics metrics;
  private final int maxBatchSize;

  public EncoderGrpcService(
      ServedModels models, MediaFetcher fetcher, EncoderMetrics metrics, EncoderConfig config) {
    this.models = models;
    this.fetcher = fetcher;
    this.metrics = metrics;
    this.maxBatchSize = config.maxBatchSize();
  }

  @Override
  @Blocking
  public Uni<EncodeTextsResponse> encodeTexts(EncodeTextsRequest request) {
    return call(
        () -> {
          checkBatch("texts", request.getTextsCount());
          ClipModel model = models.registry().resolve(request.getModel());
          long start = System.nanoTime();
          List<Embedding> embeddings = model.encodeTexts(request.getTextsList());
          long nanos = System.nanoTime() - start;
          metrics.inference(model.name(), "text", nanos);
          Log.debugf("encoded %d texts with %s in %d ms", (Object) embeddings.size(), model.name(), nanos / 1_000_000);
          EncodeTextsResponse.Builder response = EncodeTextsResponse.newBuilder();
          embeddings.forEach(e -> response.addEmbeddings(EmbeddingMapper.toProto(e)));
          return response.build();
        });
  }

  @Override
  @Blocking
  public Uni<EncodeImagesResponse> encodeImages(EncodeImagesRequest request) {
    return call(
        () -> {
          checkBatch("images", request.getImagesCount());
          ClipModel model = models.registry().resolve(request.getModel());
          List<float[]> pixels = new ArrayList<>(request.getImagesCount());
          for (int i = 0; i < request.getImagesCount(); i++) {
            ImageSource source = request.getImages(i);
            String field = field(i, source);
            pixels.add(model.preprocess(bytes(source, field), field));
          }
          long start = System.nanoTime();
          List<Embedding> embeddings = model.encodePixels(pixels);
          long nanos = System.nanoTime() - start;
          metrics.inference(model.name(), "image", nanos);
          Log.debugf("encoded %d images with %s in %d ms", (Object) embeddings.size(), model.name(), nanos / 1_000_000);
          EncodeImagesResponse.Builder response = EncodeImagesResponse.newBuilder();
          embeddings.forEach(e -> response.addEmbeddings(EmbeddingMapper.toProto(e)));
          return response.build();
        });
  }

  @Override
  public Uni<ListModelsResponse> listModels(ListModelsRequest request) {
    return call(
        () -> {
          ModelRegistry registry = models.registry();
          ListModelsResponse.Builder response = ListModelsResponse.newBuilder();
          for (ClipModel model : registry.models()) {
            response.addModels(
                EmbeddingMapper.toProto(model, model.name().equals(registry.defaultModel())));
          }
          return response.build();
        });
  }

  private byte[] bytes(ImageSource source, String field) {
    return switch (source.getSourceCase()) {
      case DATA -> source.getData().toByteArray();
      case URI -> fetcher.fetch(source.getUri(), field).bytes();
      case SOURCE_NOT_SET -> throw new InvalidInputException(field, "set either data or uri");
    };
  }

  private static String field(int index, ImageSource source) {
    String field = "images[" + index + "]";
    return source.getClientId().isEmpty() ? field : field + " (client id " + source.getClientId() + ")";
  }

  private void checkBatch(String field, int count) {
    if (count == 0) {
      throw new InvalidInputException(field, "at least one item is required");
    }
    if (count > maxBatchSize) {
      throw new InvalidInputException(
          field, count + " items, over the limit of " + maxBatchSize + " per request");
    }
  }

  private static <T> Uni<T> call(Callable<T> work) {
    return Uni.createFrom()
        .item(
            () -> {
              try {
                return work.call();
              } catch (OrtException e) {
                throw new InferenceFailure(e);
              } catch (RuntimeException e) {
                throw e;
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            })
        .onFailure()
        .transform(GrpcErrors::toStatusException);
  }

  /** Carries a checked OrtException through the Uni; GrpcErrors reports it as INTERNAL. */
  private static final class InferenceFailure extends RuntimeException {
    InferenceFailure(OrtException cause) {
      super(cause.getMessage(), cause);
    }
  }

  @Override
  @Blocking
  public Uni<TokenizeResponse> tokenize(TokenizeRequest request) {
    return call(
        () -> {
          checkBatch("texts", request.getTextsCount());
          ClipModel model = models.registry().resolve(request.getModel());
          TokenizeResponse.Builder response = TokenizeResponse.newBuilder();
          for (TokenizedText tokens : model.tokenize(request.getTextsList())) {
            multimodal.v1.TokenizedText.Builder text = multimodal.v1.TokenizedText.newBuilder().setTruncated(tokens.truncated());
            for (long id : tokens.ids()) {
              text.addIds(id);
            }
            text.addAllTokens(java.util.Arrays.asList(tokens.tokens()));
            response.addTexts(text);
          }
          return response.build();
        });
  }
}
