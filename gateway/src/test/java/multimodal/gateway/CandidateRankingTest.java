package multimodal.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import multimodal.v1.GenerateResult;
import multimodal.v1.GeneratedImage;
import multimodal.v1.ImageScore;
import multimodal.v1.ModelRef;
import multimodal.v1.RerankRequest;
import multimodal.v1.RerankResponse;
import org.junit.jupiter.api.Test;

class CandidateRankingTest {
  private static GeneratedImage image(int index, String pixels) {
    return GeneratedImage.newBuilder()
        .setIndex(index)
        .setSeed(100 + index)
        .setPng(ByteString.copyFromUtf8(pixels))
        .build();
  }

  /** Three candidates whose best match is the last generated, the worst the first. */
  private static final GenerateResult RESULT =
      GenerateResult.newBuilder()
          .setSeed(100)
          .addImages(image(0, "blue"))
          .addImages(image(1, "purple"))
          .addImages(image(2, "red"))
          .build();

  private static final RerankResponse SCORES =
      RerankResponse.newBuilder()
          .setModel(ModelRef.newBuilder().setName("clip").setVersion("v1"))
          .addImages(ImageScore.newBuilder().setIndex(2).setClientId("2").setScore(0.9f))
          .addImages(ImageScore.newBuilder().setIndex(1).setClientId("1").setScore(0.5f))
          .addImages(ImageScore.newBuilder().setIndex(0).setClientId("0").setScore(-0.2f))
          .build();

  @Test
  void theRerankRequestCarriesEachCandidateWithItsIndexAgainstThePrompt() {
    RerankRequest request = CandidateRanking.request("a red square", RESULT);
    assertThat(request.getText()).isEqualTo("a red square");
    assertThat(request.getImagesList())
        .extracting(i -> i.getClientId() + "=" + i.getData().toStringUtf8())
        .containsExactly("0=blue", "1=purple", "2=red");
  }

  @Test
  void candidatesComeBackInScoreOrderWithScoresAndRanksNotInGenerationOrder() {
    GenerateResult ranked = CandidateRanking.apply(RESULT, SCORES, 0);

    assertThat(ranked.getImagesList())
        .extracting(i -> i.getPng().toStringUtf8())
        .containsExactly("red", "purple", "blue");
    assertThat(ranked.getImagesList()).extracting(GeneratedImage::getRank).containsExactly(1, 2, 3);
    assertThat(ranked.getImagesList())
        .extracting(GeneratedImage::getClipScore)
        .containsExactly(0.9f, 0.5f, -0.2f);
    assertThat(ranked.getImagesList())
        .extracting(GeneratedImage::getSeed)
        .containsExactly(102L, 101L, 100L);
    assertThat(ranked.getClipModel().getName()).isEqualTo("clip");
    assertThat(ranked.getSeed()).isEqualTo(100);
  }

  @Test
  void topKKeepsTheBest() {
    assertThat(CandidateRanking.apply(RESULT, SCORES, 1).getImagesList())
        .extracting(i -> i.getPng().toStringUtf8())
        .containsExactly("red");
  }

  @Test
  void scoresThatDoNotCoverTheCandidatesAreAnError() {
    RerankResponse partial = SCORES.toBuilder().removeImages(2).build();
    assertThatThrownBy(() -> CandidateRanking.apply(RESULT, partial, 0))
        .isInstanceOf(IllegalStateException.class);
  }
}
