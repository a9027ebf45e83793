package multimodal.generator.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import multimodal.generator.CaptionFixtureResource;
import multimodal.generator.DiffusionFixtureResource;
import multimodal.generator.InMemoryChannelsResource;
import multimodal.generator.VisionModelsResource;
import multimodal.generator.inference.vision.VisionTestModels;
import multimodal.v1.GenerateRequest;
import multimodal.v1.GenerateResult;
import multimodal.v1.GeneratedImage;
import multimodal.v1.WithheldImage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Generate withholds the candidates the real safety classifier (nsfwjs) scores unsafe. The fixture
 * draws no unsafe pictures, so the threshold is lowered to {@value #THRESHOLD}, between what the
 * classifier gives the fixture's pictures used here: a black circle on 64×64 scores about 0.085
 * (its hentai and porn classes are the fixture's highest), a blue square about 0.004. The
 * classifier decides per picture: the same service passes one prompt's candidates and withholds the
 * other's.
 */
@QuarkusTest
@TestProfile(GenerateSafetyGrpcTest.LowThreshold.class)
@QuarkusTestResource(value = CaptionFixtureResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = InMemoryChannelsResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = VisionModelsResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = DiffusionFixtureResource.class, restrictToAnnotatedClass = true)
class GenerateSafetyGrpcTest {
  static final float THRESHOLD = 0.03f;

  public static class LowThreshold implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("generator.diffusion.unsafe-threshold", Float.toString(THRESHOLD));
    }
  }

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

  private static GenerateResult generate(String prompt) {
    GenerateRequest request =
        GenerateRequest.newBuilder()
            .setPrompt(prompt)
            .setWidth(64)
            .setHeight(64)
            .setSteps(8)
            .setCandidates(2)
            .setSeed(7)
            .build();
    return GenerateCalls.result(GenerateCalls.events(channel, request));
  }

  @Test
  void candidatesScoredAtOrAboveTheThresholdAreWithheldWithTheirScoreAndNoPicture() {
    GenerateResult result = generate("a black circle");

    assertThat(result.getImagesList()).isEmpty();
    assertThat(result.getWithheldList()).extracting(WithheldImage::getIndex).containsExactly(0, 1);
    assertThat(result.getWithheldList()).extracting(WithheldImage::getSeed).containsExactly(7L, 8L);
    for (WithheldImage withheld : result.getWithheldList()) {
      assertThat(withheld.getUnsafeScore()).isGreaterThanOrEqualTo(THRESHOLD).isLessThan(0.5f);
      assertThat(withheld.getReason())
          .contains("safety classifier")
          .contains("threshold %.2f".formatted(THRESHOLD));
    }
    assertThat(result.getSeed()).isEqualTo(7);
  }

  @Test
  void candidatesBelowTheThresholdComeBackWithTheirScore() {
    GenerateResult result = generate("a blue square");

    assertThat(result.getWithheldList()).isEmpty();
    assertThat(result.getImagesList()).extracting(GeneratedImage::getIndex).containsExactly(0, 1);
    for (GeneratedImage image : result.getImagesList()) {
      assertThat(image.getUnsafeScore()).isPositive().isLessThan(THRESHOLD);
      assertThat(image.getPng().isEmpty()).isFalse();
    }
  }
}
