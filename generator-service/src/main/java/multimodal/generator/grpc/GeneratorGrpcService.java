package multimodal.generator.grpc;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.grpc.GrpcService;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import multimodal.generator.GenerationSlots;
import multimodal.generator.InvalidInputException;
import multimodal.generator.ServedModels;
import multimodal.generator.config.GeneratorConfig;
import multimodal.generator.diffusion.TextToImage;
import multimodal.generator.fetch.UriFetcher;
import multimodal.generator.inference.caption.CaptionModel;
import multimodal.generator.inference.caption.CaptionTaskKind;
import multimodal.generator.inference.generation.DecodingOptions;
import multimodal.generator.inference.generation.Generated;
import multimodal.generator.inference.generation.GenerationControl;
import multimodal.generator.inference.generation.GenerationEngine;
import multimodal.generator.inference.image.ImageLoader;
import multimodal.generator.inference.text.TesseractOcr;
import multimodal.generator.inference.vision.DetectionSettings;
import multimodal.generator.inference.vision.VisionAnalyzer;
import multimodal.generator.inference.vision.VisionResult;
import multimodal.generator.inference.vqa.QuestionPart;
import multimodal.generator.inference.vqa.VqaModel;
import multimodal.generator.vision.VisionProtos;
import multimodal.generator.vision.VisionService;
import multimodal.media.config.ImageSettings;
import multimodal.v1.AnalyzeRequest;
import multimodal.v1.AnalyzeResponse;
import multimodal.v1.AskRequest;
import multimodal.v1.AskResponse;
import multimodal.v1.CaptionRequest;
import multimodal.v1.CaptionResponse;
import multimodal.v1.GenerateRequest;
import multimodal.v1.GenerateResponse;
import multimodal.v1.GenerateResult;
import multimodal.v1.GeneratedText;
import multimodal.v1.GenerationOptions;
import multimodal.v1.GeneratorService;
import multimodal.v1.ImageSource;
import multimodal.v1.LengthPreset;
import multimodal.v1.OcrRequest;
import multimodal.v1.OcrResponse;
import multimodal.v1.Timings;

/**
 * {@code GeneratorService}: Caption (a batch of images through one batched generation), Ask
 * (streams the answer's tokens as they are generated, then a final message), Ocr (Tesseract) and
 * Analyze (object tags and safety scores). Work runs on worker threads inside {@link
 * GenerationSlots}; a cancelled call or an expired deadline stops the generation between steps and
 * inside a running step ({@link CallGeneration}).
 */
@GrpcService
public class GeneratorGrpcService implements GeneratorService {
  private final ServedModels models;
  private final GenerationSlots slots;
  private final ImageLoader images;
  private final UriFetcher fetcher;
  private final int maxBatch;
  private final Duration maxGeneration;
  private final MeterRegistry registry;
  private final VisionService vision;
  private final TextToImage textToImage;

  public GeneratorGrpcService(
      ServedModels models,
      GenerationSlots slots,
      UriFetcher fetcher,
      GeneratorConfig config,
      MeterRegistry registry,
      VisionService vision,
      TextToImage textToImage) {
    this.models = models;
    this.textToImage = textToImage;
    this.vision = vision;
    this.registry = registry;
    this.slots = slots;
    this.fetcher = fetcher;
    this.images = new ImageLoader(ImageSettings.decoder(config.images()));
    this.maxBatch = config.maxBatchSize();
    this.maxGeneration = config.generationTimeout();
  }

  @Override
  public Uni<CaptionResponse> caption(CaptionRequest request) {
    CallGeneration generation = new CallGeneration("caption", maxGeneration, registry);
    return Uni.createFrom()
        .item(
            () -> {
              try (generation) {
                return generation.run(
                    () -> {
                      // Fetched before a generation slot is taken: a slow URL must not hold one.
                      List<Input> inputs = read(request.getImagesList());
                      return slots.run(() -> captionNow(request, inputs, generation.control()));
                    });
              }
            })
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
        .onCancellation()
        .invoke(generation.control()::cancel)
        .onFailure()
        .transform(GrpcErrors::toStatusException);
  }

  private CaptionResponse captionNow(
      CaptionRequest request, List<Input> inputs, GenerationControl control) {
    long start = System.nanoTime();
    CaptionModel model = models.captioner(request.getModel());
    String modelName =
        request.getModel().isEmpty() ? models.defaultCaptionModel() : request.getModel();
    CaptionTaskKind task = DecodingRequests.task(request.getTask());
    if (!model.tasks().contains(task)) {
      throw new InvalidInputException(
          "task",
          "model "
              + modelName
              + " ("
              + model.layout()
              + ") does not do "
              + task
              + "; it does "
              + model.tasks());
    }
    DecodingOptions options =
        DecodingRequests.options(model.defaults(), request.getLength(), request.getOptions());
    List<BufferedImage> decoded = decode(inputs);
    long queued = (System.nanoTime() - start) / 1_000;
    List<Generated> captions =
        model.caption(decoded, task, options, control, GenerationEngine.TokenListener.NONE);
    CaptionResponse.Builder response = CaptionResponse.newBuilder();
    long total = (System.nanoTime() - start) / 1_000;
    for (Generated caption : captions) {
      response.addCaptions(
          text(
                  caption.text(),
                  modelName,
                  model.version(),
                  caption.tokens(),
                  timings(queued, caption.preprocessMicros(), caption.inferenceMicros(), total))
              .setFixture(models.get().fixture(modelName)));
    }
    Log.debugf("captioned %d images with %s in %d us", (Object) decoded.size(), modelName, total);
    return response.build();
  }

  /**
   * Tags and safety scores for caller images with the models behind media.vision.v1, on the vision
   * pool (not a generation slot: captioning and Analyze do not wait for each other).
   */
  @Override
  public Uni<AnalyzeResponse> analyze(AnalyzeRequest request) {
    return Uni.createFrom()
        .item(
            () -> {
              long start = System.nanoTime();
              VisionAnalyzer analyzer =
                  vision.models().get(); // off or loading: refused before any fetch
              if (request.getMinScore() < 0 || request.getMinScore() >= 1) {
                throw new InvalidInputException(
                    "min_score", "must be in [0, 1), got " + request.getMinScore());
              }
              DetectionSettings settings =
                  request.getMinScore() == 0
                      ? vision.settings()
                      : vision.settings().withMinScore(request.getMinScore());
              List<BufferedImage> decoded = decode(read(request.getImagesList()));
              long queued = (System.nanoTime() - start) / 1_000;
              List<VisionResult> results = vision.analyzeForCaller(decoded, settings);
              long total = (System.nanoTime() - start) / 1_000;
              AnalyzeResponse.Builder response = AnalyzeResponse.newBuilder();
              for (VisionResult result : results) {
                response.addResults(
                    VisionProtos.analysis(analyzer, result)
                        .setTimings(
                            timings(
                                queued, 0, result.detectMicros() + result.safetyMicros(), total)));
              }
              return response.build();
            })
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
        .onFailure()
        .transform(GrpcErrors::toStatusException);
  }

  @Override
  public Multi<AskResponse> ask(AskRequest request) {
    return streamed(
        "ask",
        (control, out) -> {
          // Fetched before a slot is taken, as for Caption.
          List<Piece> question = readParts(AskParts.of(request));
          return slots.run(() -> askNow(request, question, control, out));
        });
  }

  /**
   * Streams a progress event per denoising step, then the result. Bad input and a missing model are
   * refused before a generation slot is taken; the client's cancel or deadline stops the generation
   * between steps (and inside a running UNet step).
   */
  @Override
  public Multi<GenerateResponse> generate(GenerateRequest request) {
    return streamed(
        "generate",
        (control, out) -> {
          textToImage.check(request);
          GenerateResult result =
              slots.run(
                  () ->
                      textToImage.generate(
                          request,
                          control,
                          progress ->
                              out.accept(
                                  GenerateResponse.newBuilder().setProgress(progress).build())));
          return GenerateResponse.newBuilder().setResult(result).build();
        });
  }

  /** The work of a streaming call: emits its events to {@code out} and returns the last one. */
  @FunctionalInterface
  private interface StreamedWork<T> {
    T run(GenerationControl control, java.util.function.Consumer<T> out);
  }

  /**
   * A server stream whose work runs on a worker thread under the call's {@link CallGeneration}: the
   * end of the stream (a client cancel included) stops the generation, and a failure becomes the
   * stream's status (untold when the client has gone).
   */
  private <T> Multi<T> streamed(String rpc, StreamedWork<T> work) {
    CallGeneration generation = new CallGeneration(rpc, maxGeneration, registry);
    return Multi.createFrom()
        .<T>emitter(
            emitter -> {
              GenerationControl control = generation.control();
              emitter.onTermination(control::cancel);
              Infrastructure.getDefaultWorkerPool()
                  .execute(
                      () -> {
                        try (generation) {
                          T last = generation.run(() -> work.run(control, emitter::emit));
                          emitter.emit(last);
                          emitter.complete();
                        } catch (RuntimeException e) {
                          if (!emitter.isCancelled()) { // a cancelled stream has no one to tell
                            emitter.fail(GrpcErrors.toStatusException(e));
                          }
                        }
                      });
            });
  }

  private AskResponse askNow(
      AskRequest request,
      List<Piece> question,
      GenerationControl control,
      java.util.function.Consumer<AskResponse> out) {
    long start = System.nanoTime();
    VqaModel model = models.answerer(request.getModel());
    String modelName = request.getModel().isEmpty() ? models.defaultVqaModel() : request.getModel();
    if (request.getMaxNewTokens() < 0) {
      throw new InvalidInputException("max_new_tokens", "must not be negative");
    }
    GenerationOptions.Builder overrides = request.getOptions().toBuilder();
    if (request.getMaxNewTokens() > 0 && overrides.getMaxNewTokens() == 0) {
      overrides.setMaxNewTokens(request.getMaxNewTokens());
    }
    DecodingOptions options =
        DecodingRequests.options(
            model.defaults(), LengthPreset.LENGTH_PRESET_UNSPECIFIED, overrides.build());
    List<QuestionPart> parts = new ArrayList<>(question.size());
    for (Piece piece : question) {
      parts.add(
          piece.image() == null
              ? QuestionPart.text(piece.text())
              : QuestionPart.image(images.decode(piece.image().bytes(), piece.image().field())));
    }
    long queued = (System.nanoTime() - start) / 1_000;
    List<Long> ids = new ArrayList<>();
    StringBuilder sent = new StringBuilder();
    Generated answer =
        model.ask(
            parts,
            options,
            control,
            (input, token) -> {
              // Decode the whole answer so far and send what is new: byte-level BPE pieces need
              // context.
              ids.add(token);
              String text = model.decode(ids.stream().mapToLong(Long::longValue).toArray());
              if (text.length() > sent.length() && text.startsWith(sent.toString())) {
                out.accept(
                    AskResponse.newBuilder().setToken(text.substring(sent.length())).build());
                sent.setLength(0);
                sent.append(text);
              }
            });
    long total = (System.nanoTime() - start) / 1_000;
    return AskResponse.newBuilder()
        .setFinal(
            text(
                    answer.text(),
                    modelName,
                    model.version(),
                    answer.tokens(),
                    timings(queued, answer.preprocessMicros(), answer.inferenceMicros(), total))
                .setFixture(models.get().fixture(modelName)))
        .build();
  }

  @Override
  public Uni<OcrResponse> ocr(OcrRequest request) {
    return Uni.createFrom()
        .item(
            () -> {
              List<Input> inputs = read(request.getImagesList());
              return slots.run(() -> ocrNow(inputs, request));
            })
        .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
        .onFailure()
        .transform(GrpcErrors::toStatusException);
  }

  private OcrResponse ocrNow(List<Input> inputs, OcrRequest request) {
    long start = System.nanoTime();
    TesseractOcr ocr = models.ocr();
    List<BufferedImage> decoded = decode(inputs);
    long preprocess = (System.nanoTime() - start) / 1_000 / decoded.size();
    OcrResponse.Builder response = OcrResponse.newBuilder();
    for (BufferedImage image : decoded) {
      long began = System.nanoTime();
      String text = ocr.read(image, request.getLanguagesList());
      long micros = (System.nanoTime() - began) / 1_000;
      response.addTexts(
          text(
              text,
              TesseractOcr.ENGINE,
              ocr.engine(),
              0,
              timings(0, preprocess, micros, (System.nanoTime() - start) / 1_000)));
    }
    return response.build();
  }

  /** An image's encoded bytes and the field name its errors carry ({@code images[0].uri}). */
  private record Input(String field, byte[] bytes) {}

  /** A part of a question, its image read: text, or an image. */
  private record Piece(String text, Input image) {}

  private List<Piece> readParts(List<AskParts.Part> parts) {
    List<Piece> pieces = new ArrayList<>(parts.size());
    for (AskParts.Part part : parts) {
      pieces.add(
          part instanceof AskParts.Image image
              ? new Piece(null, read(image.source(), image.field()))
              : new Piece(((AskParts.Text) part).text(), null));
    }
    return pieces;
  }

  private List<Input> read(List<ImageSource> sources) {
    if (sources.isEmpty()) {
      throw new InvalidInputException("images", "at least one image is required");
    }
    if (sources.size() > maxBatch) {
      throw new InvalidInputException(
          "images", sources.size() + " images, more than the limit of " + maxBatch);
    }
    List<Input> inputs = new ArrayList<>(sources.size());
    for (int i = 0; i < sources.size(); i++) {
      ImageSource source = sources.get(i);
      inputs.add(
          read(
              source, source.getClientId().isEmpty() ? "images[" + i + "]" : source.getClientId()));
    }
    return inputs;
  }

  /**
   * Inline bytes, or the bytes behind the URI (SSRF-checked; the gateway's blobs with its token).
   */
  private Input read(ImageSource source, String field) {
    return switch (source.getSourceCase()) {
      case DATA -> new Input(field + ".data", source.getData().toByteArray());
      case URI -> new Input(field + ".uri", fetcher.fetchOnce(source.getUri(), field + ".uri"));
      case SOURCE_NOT_SET -> throw new InvalidInputException(field, "set either data or uri");
    };
  }

  private List<BufferedImage> decode(List<Input> inputs) {
    List<BufferedImage> decoded = new ArrayList<>(inputs.size());
    for (Input input : inputs) {
      decoded.add(images.decode(input.bytes(), input.field()));
    }
    return decoded;
  }

  private static GeneratedText.Builder text(
      String text, String model, String version, int tokens, Timings timings) {
    return GeneratedText.newBuilder()
        .setText(text)
        .setModelName(model)
        .setModelVersion(version)
        .setGeneratedTokens(tokens)
        .setTimings(timings);
  }

  private static Timings timings(long queue, long preprocess, long inference, long total) {
    return Timings.newBuilder()
        .setQueueMicros(queue)
        .setPreprocessMicros(preprocess)
        .setInferenceMicros(inference)
        .setTotalMicros(total)
        .build();
  }
}
