package multimodal.encoder.grpc;

import io.grpc.Context;
import io.grpc.Deadline;
import io.quarkus.grpc.GrpcService;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import multimodal.encoder.Embedder;
import multimodal.encoder.Embedding;
import multimodal.encoder.InvalidInputException;
import multimodal.encoder.ServedModels;
import multimodal.encoder.batching.DeadlineExpiredException;
import multimodal.encoder.config.EncoderConfig;
import multimodal.encoder.inference.EmbeddingModel;
import multimodal.encoder.inference.ModelRegistry;
import multimodal.encoder.inference.TokenizedText;
import multimodal.encoder.proto.EmbeddingProtos;
import multimodal.media.fetch.FetchRefusedException;
import multimodal.media.fetch.MediaFetcher;
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
 * ({@code @Blocking}), never on the event loop. Images are decoded and preprocessed on that thread
 * (in parallel across requests); the model runs go through the shared {@link Embedder}, which
 * batches them with other requests and Kafka records. The call's gRPC deadline is handed on, so
 * work whose caller has gone is dropped.
 */
@GrpcService
public class EncoderGrpcService implements EncoderService {
  private final ServedModels models;
  private final Embedder embedder;
  private final MediaFetcher fetcher;
  private final int maxBatchSize;

  public EncoderGrpcService(
      ServedModels models, Embedder embedder, MediaFetcher fetcher, EncoderConfig config) {
    this.models = models;
    this.embedder = embedder;
    this.fetcher = fetcher;
    this.maxBatchSize = config.maxBatchSize();
  }

  @Override
  @Blocking
  public Uni<EncodeTextsResponse> encodeTexts(EncodeTextsRequest request) {
    long deadline = deadlineNanos();
    return call(
        () -> {
          checkBatch("texts", request.getTextsCount());
          EmbeddingModel model = embedder.model(request.getModel());
          List<Embedding> embeddings = embedder.embedTexts(model, request.getTextsList(), deadline);
          Log.debugf("encoded %d texts with %s", embeddings.size(), model.name());
          EncodeTextsResponse.Builder response = EncodeTextsResponse.newBuilder();
          embeddings.forEach(e -> response.addEmbeddings(EmbeddingProtos.toProto(e)));
          return response.build();
        });
  }

  @Override
  @Blocking
  public Uni<EncodeImagesResponse> encodeImages(EncodeImagesRequest request) {
    long deadline = deadlineNanos();
    return call(
        () -> {
          checkBatch("images", request.getImagesCount());
          EmbeddingModel model = embedder.model(request.getModel());
          if (!model.embedsImages()) {
            throw new InvalidInputException(
                "model", "model " + model.name() + " embeds texts only, not images");
          }
          List<float[]> pixels = new ArrayList<>(request.getImagesCount());
          for (int i = 0; i < request.getImagesCount(); i++) {
            ImageSource source = request.getImages(i);
            String field = field(i, source);
            pixels.add(embedder.preprocess(model, bytes(source, field), field, deadline));
            checkDeadline(deadline);
          }
          List<Embedding> embeddings = embedder.embedPixels(model, pixels, deadline);
          Log.debugf("encoded %d images with %s", embeddings.size(), model.name());
          EncodeImagesResponse.Builder response = EncodeImagesResponse.newBuilder();
          embeddings.forEach(e -> response.addEmbeddings(EmbeddingProtos.toProto(e)));
          return response.build();
        });
  }

  @Override
  @Blocking
  public Uni<TokenizeResponse> tokenize(TokenizeRequest request) {
    return call(
        () -> {
          checkBatch("texts", request.getTextsCount());
          EmbeddingModel model = embedder.model(request.getModel());
          TokenizeResponse.Builder response = TokenizeResponse.newBuilder();
          for (TokenizedText tokens : embedder.tokenize(model, request.getTextsList())) {
            multimodal.v1.TokenizedText.Builder text =
                multimodal.v1.TokenizedText.newBuilder().setTruncated(tokens.truncated());
            for (long id : tokens.ids()) {
              text.addIds(id);
            }
            text.addAllTokens(Arrays.asList(tokens.tokens()));
            response.addTexts(text);
          }
          return response.build();
        });
  }

  @Override
  public Uni<ListModelsResponse> listModels(ListModelsRequest request) {
    return call(
        () -> {
          ModelRegistry registry = models.registry();
          ListModelsResponse.Builder response = ListModelsResponse.newBuilder();
          for (EmbeddingModel model : registry.models()) {
            response.addModels(
                ModelInfos.toProto(model, model.name().equals(registry.defaultModel())));
          }
          return response.build();
        });
  }

  /** The call's deadline as a {@link System#nanoTime()} value, or {@code Long.MAX_VALUE}. */
  private static long deadlineNanos() {
    Deadline deadline = Context.current().getDeadline();
    return deadline == null
        ? Long.MAX_VALUE
        : System.nanoTime() + deadline.timeRemaining(TimeUnit.NANOSECONDS);
  }

  private static void checkDeadline(long deadlineNanos) {
    if (deadlineNanos != Long.MAX_VALUE && deadlineNanos - System.nanoTime() <= 0) {
      throw new DeadlineExpiredException("deadline passed while preparing the images");
    }
  }

  private byte[] bytes(ImageSource source, String field) {
    return switch (source.getSourceCase()) {
      case DATA -> source.getData().toByteArray();
      case URI -> fetch(source.getUri(), field);
      case SOURCE_NOT_SET -> throw new InvalidInputException(field, "set either data or uri");
    };
  }

  private byte[] fetch(String uri, String field) {
    try {
      return fetcher.fetch(uri, field).bytes();
    } catch (FetchRefusedException e) {
      throw new InvalidInputException(e.field(), e.description(), e);
    }
  }

  private static String field(int index, ImageSource source) {
    String field = "images[" + index + "]";
    return source.getClientId().isEmpty()
        ? field
        : field + " (client id " + source.getClientId() + ")";
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
              } catch (RuntimeException e) {
                throw e;
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            })
        .onFailure()
        .transform(GrpcErrors::toStatusException);
  }
}
