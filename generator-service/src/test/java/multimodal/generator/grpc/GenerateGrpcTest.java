package multimodal.generator.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.rpc.BadRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import multimodal.generator.CaptionFixtureResource;
import multimodal.generator.DiffusionFixtureResource;
import multimodal.generator.InMemoryChannelsResource;
import multimodal.generator.VisionModelsResource;
import multimodal.generator.inference.vision.VisionTestModels;
import multimodal.v1.GenerateProgress;
import multimodal.v1.GenerateRequest;
import multimodal.v1.GenerateResponse;
import multimodal.v1.GenerateResult;
import multimodal.v1.GeneratedImage;
import multimodal.v1.GeneratorServiceGrpc;
import multimodal.v1.Limits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Generate over real gRPC with the devkit's diffusion fixture (pictures follow colour and shape
 * words) and the real safety classifier: progress, pictures, seeds, bounds.
 */
@QuarkusTest
@QuarkusTestResource(value = CaptionFixtureResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = InMemoryChannelsResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = VisionModelsResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = DiffusionFixtureResource.class, restrictToAnnotatedClass = true)
class GenerateGrpcTest {
  private static final int SIZE = 64;
  private static final int STEPS = 8;

  private static ManagedChannel channel;

  @BeforeAll
  static void connect() {
    VisionTestModels.safetyDir();
    channel = GenerateCalls.connect();
  }

  @AfterAll
  static void disconnect() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private static GenerateRequest.Builder request(String prompt) {
    return GenerateRequest.newBuilder()
        .setPrompt(prompt)
        .setWidth(SIZE)
        .setHeight(SIZE)
        .setSteps(STEPS);
  }

  private static List<GenerateResponse> generate(GenerateRequest request) {
    return GenerateCalls.events(channel, request);
  }

  private static GenerateResult result(List<GenerateResponse> events) {
    return GenerateCalls.result(events);
  }

  /** Mean R, G, B of the centre quarter of the picture. */
  private static double[] centre(GeneratedImage generated) throws Exception {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(generated.getPng().toByteArray()));
    double[] sum = new double[3];
    int from = image.getWidth() * 3 / 8;
    int to = image.getWidth() * 5 / 8;
    for (int y = from; y < to; y++) {
      for (int x = from; x < to; x++) {
        int rgb = image.getRGB(x, y);
        sum[0] += (rgb >> 16) & 0xff;
        sum[1] += (rgb >> 8) & 0xff;
        sum[2] += rgb & 0xff;
      }
    }
    int n = (to - from) * (to - from);
    return new double[] {sum[0] / n, sum[1] / n, sum[2] / n};
  }

  @Test
  void streamsAProgressEventPerStepThenCandidatesThatFollowThePrompt() throws Exception {
    List<GenerateResponse> events =
        generate(request("a red square").setCandidates(2).setSeed(7).build());

    List<GenerateProgress> progress =
        events.stream().filter(GenerateResponse::hasProgress).map(e -> e.getProgress()).toList();
    assertThat(progress)
        .extracting(GenerateProgress::getStep)
        .containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    assertThat(progress).allMatch(p -> p.getSteps() == STEPS && p.getCandidates() == 2);
    GenerateResult result = result(events);
    assertThat(result.getSeed()).isEqualTo(7);
    assertThat(result.getModel().getFixture()).isTrue();
    assertThat(result.getScheduler()).isEqualTo("EulerDiscreteScheduler");
    assertThat(result.getWithheldList()).isEmpty();
    assertThat(result.getImagesList()).extracting(GeneratedImage::getSeed).containsExactly(7L, 8L);
    assertThat(result.getImagesList()).extracting(GeneratedImage::getIndex).containsExactly(0, 1);
    for (GeneratedImage image : result.getImagesList()) {
      assertThat(image.getWidth()).isEqualTo(SIZE);
      double[] rgb = centre(image);
      assertThat(rgb[0]).as("red").isGreaterThan(rgb[1] + 60).isGreaterThan(rgb[2] + 60);
      // The real safety classifier ran on it: a red square is far from unsafe, but scored.
      assertThat(image.getUnsafeScore()).isPositive().isLessThan(0.5f);
    }
    assertThat(result.getImages(0).getPng()).isNotEqualTo(result.getImages(1).getPng());
  }

  @Test
  void theSameSeedGivesTheSameBytesAndAChosenSeedIsReturnedAndReproduces() {
    GenerateRequest blue =
        request("a blue circle").setSeed(123).setScheduler("DDIMScheduler").build();
    GeneratedImage first = result(generate(blue)).getImages(0);
    GeneratedImage second = result(generate(blue)).getImages(0);
    assertThat(second.getPng()).isEqualTo(first.getPng());

    GenerateResult chosen =
        result(generate(request("a blue circle").setScheduler("DDIMScheduler").build()));
    assertThat(chosen.getSeed()).isBetween(0L, 1L << 53);
    GenerateResult again =
        result(
            generate(
                request("a blue circle")
                    .setScheduler("DDIMScheduler")
                    .setSeed(chosen.getSeed())
                    .build()));
    assertThat(again.getImages(0).getPng()).isEqualTo(chosen.getImages(0).getPng());
    assertThat(again.getScheduler()).isEqualTo("DDIMScheduler");
  }

  @Test
  void outOfBoundsRequestsAreInvalidArgumentsNamingTheField() {
    assertInvalid(
        request("a red square").setCandidates(Limits.GENERATE_MAX_CANDIDATES + 1), "candidates");
    assertInvalid(request("a red square").setWidth(Limits.GENERATE_MAX_SIDE + 8), "width");
    assertInvalid(request("a red square").setHeight(60), "height");
    assertInvalid(request("a red square").setSteps(Limits.GENERATE_MAX_STEPS + 1), "steps");
    assertInvalid(request(" "), "prompt");
    assertInvalid(request("a red square").setScheduler("PNDMScheduler"), "scheduler");
  }

  private static void assertInvalid(GenerateRequest.Builder request, String field) {
    StatusRuntimeException error =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                GeneratorServiceGrpc.newBlockingStub(channel)
                    .generate(request.build())
                    .forEachRemaining(e -> {}));
    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    BadRequest bad =
        StatusProto.fromThrowable(error).getDetailsList().stream()
            .filter(d -> d.is(BadRequest.class))
            .map(
                d -> {
                  try {
                    return d.unpack(BadRequest.class);
                  } catch (Exception e) {
                    throw new AssertionError(e);
                  }
                })
            .findFirst()
            .orElseThrow();
    assertThat(bad.getFieldViolations(0).getField()).isEqualTo(field);
  }
}
