package multimodal.gateway.grpc;

import io.grpc.Status;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import multimodal.media.fetch.FetchPolicy;
import multimodal.media.fetch.FetchRefusedException;
import multimodal.media.fetch.MediaFetcher;
import multimodal.v1.AnalyzeRequest;
import multimodal.v1.AnalyzeResponse;
import multimodal.v1.AskPart;
import multimodal.v1.AskRequest;
import multimodal.v1.AskResponse;
import multimodal.v1.CaptionRequest;
import multimodal.v1.CaptionResponse;
import multimodal.v1.ClassScore;
import multimodal.v1.GenerateProgress;
import multimodal.v1.GenerateRequest;
import multimodal.v1.GenerateResponse;
import multimodal.v1.GenerateResult;
import multimodal.v1.GeneratedText;
import multimodal.v1.GeneratorService;
import multimodal.v1.ImageAnalysis;
import multimodal.v1.ImageSource;
import multimodal.v1.ModelRef;
import multimodal.v1.OcrRequest;
import multimodal.v1.OcrResponse;
import multimodal.v1.WithheldImage;

/**
 * Stands in for generator-service: describes what it was given (byte count of the image, fetched
 * from its URI as the real worker would), so tests see the gateway resolved the media id to the
 * right bytes, and what a caller-supplied URI would have let the worker read. Ask streams three
 * tokens and a final answer; the question "fail" breaks the stream after one token. An interleaved
 * Ask (parts) is answered by describing its parts in order (an image as its byte count, a text as
 * itself), so tests see which images arrived where.
 */
public class FakeGeneratorService implements GeneratorService {
  /**
   * Fetches image URIs exactly as generator-service's worker fetcher is configured in a deployment:
   * the gateway's claim-check prefix is internal. So a test sees what a real worker would read.
   */
  static final MediaFetcher WORKER_FETCHER =
      new MediaFetcher(
          new FetchPolicy(
              Duration.ofSeconds(5),
              Duration.ofSeconds(10),
              32 << 20,
              false,
              Optional.empty(),
              3,
              Optional.of("http://127.0.0.1:18080/internal/blobs/"),
              "fake-generator.fetch"));

  private final AtomicReference<CaptionRequest> lastCaption = new AtomicReference<>();
  private final AtomicReference<String> lastTenant = new AtomicReference<>();
  private final AtomicReference<AnalyzeRequest> lastAnalyze = new AtomicReference<>();
  private final AtomicReference<AskRequest> lastAsk = new AtomicReference<>();

  /** The last Ask as the gateway forwarded it. */
  public AskRequest lastAsk() {
    return lastAsk.get();
  }

  public CaptionRequest lastCaption() {
    return lastCaption.get();
  }

  /** Forgets the calls seen so far, so a test can tell that none followed. */
  public void forgetCalls() {
    lastCaption.set(null);
    lastAnalyze.set(null);
    lastAsk.set(null);
  }

  /**
   * The tenant of the last call's verified call token (recorded behind the real internal-auth
   * check).
   */
  public String lastTenant() {
    return lastTenant.get();
  }

  void tenant(String tenant) {
    lastTenant.set(tenant);
  }

  @Override
  public Uni<CaptionResponse> caption(CaptionRequest request) {
    lastCaption.set(request);
    CaptionResponse.Builder response = CaptionResponse.newBuilder();
    for (int i = 0; i < request.getImagesCount(); i++) {
      ImageSource image = request.getImages(i);
      int size;
      try {
        size =
            image.hasUri()
                ? WORKER_FETCHER.fetch(image.getUri(), "images[" + i + "].uri").bytes().length
                : image.getData().size();
      } catch (FetchRefusedException e) {
        return Uni.createFrom()
            .failure(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      }
      response.addCaptions(text("an image of " + size + " bytes", 5));
    }
    return Uni.createFrom().item(response.build());
  }

  @Override
  public Uni<OcrResponse> ocr(OcrRequest request) {
    OcrResponse.Builder response = OcrResponse.newBuilder();
    request
        .getImagesList()
        .forEach(image -> response.addTexts(text("TEXT " + request.getLanguagesList(), 2)));
    return Uni.createFrom().item(response.build());
  }

  public AnalyzeRequest lastAnalyze() {
    return lastAnalyze.get();
  }

  /**
   * Decodes the image as the real service must: bytes that do not decode are INVALID_ARGUMENT. The
   * one "object" is labelled with the byte count and covers the image, the size is the decoded one,
   * so tests see the right bytes arrived.
   */
  @Override
  public Uni<AnalyzeResponse> analyze(AnalyzeRequest request) {
    lastAnalyze.set(request);
    AnalyzeResponse.Builder response = AnalyzeResponse.newBuilder();
    for (int i = 0; i < request.getImagesCount(); i++) {
      BufferedImage image;
      try {
        image = ImageIO.read(request.getImages(i).getData().newInput());
      } catch (IOException e) {
        image = null;
      }
      if (image == null) {
        return Uni.createFrom()
            .failure(
                Status.INVALID_ARGUMENT
                    .withDescription("images[" + i + "]: cannot decode the image")
                    .asRuntimeException());
      }
      response.addResults(
          ImageAnalysis.newBuilder()
              .addObjects(
                  FakeRetrievalService.object(
                      "bytes-" + request.getImages(i).getData().size(), 0.9f, 0, 0, 1, 1))
              .setDetector(FakeRetrievalService.DETECTOR)
              .addSafety(ClassScore.newBuilder().setLabel("neutral").setScore(0.97f))
              .addSafety(ClassScore.newBuilder().setLabel("porn").setScore(0.03f))
              .setUnsafeScore(0.03f)
              .setSafetyModel(FakeRetrievalService.SAFETY_MODEL)
              .setImageWidth(image.getWidth())
              .setImageHeight(image.getHeight()));
    }
    return Uni.createFrom().item(response.build());
  }

  @Override
  public Multi<AskResponse> ask(AskRequest request) {
    lastAsk.set(request);
    if (request.getPartsCount() > 0) {
      List<String> described = new ArrayList<>();
      for (int i = 0; i < request.getPartsCount(); i++) {
        AskPart part = request.getParts(i);
        if (!part.hasImage()) {
          described.add(part.getText());
          continue;
        }
        ImageSource image = part.getImage();
        try {
          described.add(
              "["
                  + (image.hasUri()
                      ? WORKER_FETCHER.fetch(image.getUri(), "parts[" + i + "]").bytes().length
                      : image.getData().size())
                  + " bytes]");
        } catch (FetchRefusedException e) {
          return Multi.createFrom()
              .failure(
                  Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
        }
      }
      String answer = String.join(" ", described);
      return Multi.createFrom()
          .items(
              AskResponse.newBuilder().setToken(answer).build(),
              AskResponse.newBuilder().setFinal(text(answer, described.size())).build());
    }
    if (request.getQuestion().equals("fail")) {
      return Multi.createBy()
          .concatenating()
          .streams(
              Multi.createFrom().item(AskResponse.newBuilder().setToken("it").build()),
              Multi.createFrom()
                  .failure(Status.INTERNAL.withDescription("model crashed").asRuntimeException()));
    }
    return Multi.createFrom()
        .items(
            AskResponse.newBuilder().setToken("it").build(),
            AskResponse.newBuilder().setToken(" is").build(),
            AskResponse.newBuilder().setToken(" brown").build(),
            AskResponse.newBuilder().setFinal(text("it is brown", 3)).build());
  }

  private static GeneratedText text(String text, int tokens) {
    return GeneratedText.newBuilder()
        .setText(text)
        .setModelName("fake-generator")
        .setModelVersion("1")
        .setGeneratedTokens(tokens)
        .setFixture(true)
        .build();
  }

  /**
   * Two steps of progress, then two candidates: index 0 a blue square, index 1 a red one (so an
   * order by CLIP score for "red" differs from the order of generation). A prompt "fail" fails
   * after the progress; "{@value #ENDLESS}" never ends. A prompt with "{@value #WITHHOLD_BLUE}" has
   * the blue candidate withheld as the safety classifier would (score {@value #UNSAFE_SCORE}); with
   * "{@value #WITHHOLD_ALL}", both.
   */
  /** A prompt whose generation steps every 50 ms until its call is cancelled. */
  public static final String ENDLESS = "endless";

  /** Generate calls whose stream the caller (the gateway) cancelled. */
  public static final java.util.concurrent.atomic.AtomicInteger GENERATE_CANCELLATIONS =
      new java.util.concurrent.atomic.AtomicInteger();

  public static final String WITHHOLD_BLUE = "withhold blue";

  public static final String WITHHOLD_ALL = "withhold all";
  public static final float UNSAFE_SCORE = 0.75f;
  public static final String WITHHELD_REASON =
      "the safety classifier scored it unsafe (0.75, threshold 0.50)";

  @Override
  public Multi<GenerateResponse> generate(GenerateRequest request) {
    long seed = request.hasSeed() ? request.getSeed() : 42;
    List<GenerateResponse> events = new ArrayList<>();
    for (int step = 1; step <= 2; step++) {
      events.add(
          GenerateResponse.newBuilder()
              .setProgress(GenerateProgress.newBuilder().setStep(step).setSteps(2).setCandidates(2))
              .build());
    }
    if (request.getPrompt().equals(ENDLESS)) {
      return Multi.createFrom()
          .ticks()
          .every(Duration.ofMillis(50))
          .map(
              tick ->
                  GenerateResponse.newBuilder()
                      .setProgress(
                          GenerateProgress.newBuilder()
                              .setStep((int) (tick + 1))
                              .setSteps(100)
                              .setCandidates(1))
                      .build())
          .onCancellation()
          .invoke(GENERATE_CANCELLATIONS::incrementAndGet);
    }
    if (request.getPrompt().equals("fail")) {
      return Multi.createFrom()
          .iterable(events)
          .onCompletion()
          .failWith(Status.INTERNAL.withDescription("the UNet broke").asRuntimeException());
    }
    GenerateResult.Builder result =
        GenerateResult.newBuilder()
            .setSeed(seed)
            .setScheduler("EulerDiscreteScheduler")
            .setSteps(2)
            .setModel(ModelRef.newBuilder().setName("fake-diffusion").setFixture(true));
    java.awt.Color[] colours = {java.awt.Color.BLUE, java.awt.Color.RED};
    for (int i = 0; i < colours.length; i++) {
      if (request.getPrompt().contains(WITHHOLD_ALL)
          || (i == 0 && request.getPrompt().contains(WITHHOLD_BLUE))) {
        result.addWithheld(
            WithheldImage.newBuilder()
                .setIndex(i)
                .setSeed(seed + i)
                .setUnsafeScore(UNSAFE_SCORE)
                .setReason(WITHHELD_REASON));
        continue;
      }
      result.addImages(
          multimodal.v1.GeneratedImage.newBuilder()
              .setIndex(i)
              .setSeed(seed + i)
              .setWidth(16)
              .setHeight(16)
              .setPng(com.google.protobuf.ByteString.copyFrom(square(colours[i]))));
    }
    events.add(GenerateResponse.newBuilder().setResult(result).build());
    return Multi.createFrom().iterable(events);
  }

  /** A 16×16 PNG of one colour. */
  public static byte[] square(java.awt.Color colour) {
    BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
    java.awt.Graphics2D g = image.createGraphics();
    g.setColor(colour);
    g.fillRect(0, 0, 16, 16);
    g.dispose();
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
