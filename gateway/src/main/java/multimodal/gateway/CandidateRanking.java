package multimodal.gateway;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import multimodal.v1.GenerateResult;
import multimodal.v1.GeneratedImage;
import multimodal.v1.ImageScore;
import multimodal.v1.ImageSource;
import multimodal.v1.RerankRequest;
import multimodal.v1.RerankResponse;

/**
 * Generated candidates re-ranked by CLIP (the DALL·E recipe): the Rerank request that scores them
 * against their prompt (the retrieval service's own image-vs-text score, the same as for indexed
 * media), and the result put in its order with the scores and ranks, the best {@code top_k} kept.
 */
public final class CandidateRanking {
  private CandidateRanking() {}

  /** Rerank of the result's images against the prompt; each image's client id is its index. */
  public static RerankRequest request(String prompt, GenerateResult result) {
    RerankRequest.Builder request = RerankRequest.newBuilder().setText(prompt);
    for (GeneratedImage image : result.getImagesList()) {
      request.addImages(
          ImageSource.newBuilder()
              .setData(image.getPng())
              .setClientId(Integer.toString(image.getIndex())));
    }
    return request.build();
  }

  /**
   * The result with its images in the order of {@code scores}, each with its CLIP score and rank (1
   * = best), at most {@code topK} of them (0 = all).
   *
   * @throws IllegalStateException when the scores do not cover the images exactly
   */
  public static GenerateResult apply(GenerateResult result, RerankResponse scores, int topK) {
    List<ImageScore> order = scores.getImagesList();
    if (order.size() != result.getImagesCount()) {
      throw new IllegalStateException(
          "Rerank scored " + order.size() + " images of " + result.getImagesCount());
    }
    Map<String, GeneratedImage> byIndex = new HashMap<>();
    for (GeneratedImage image : result.getImagesList()) {
      byIndex.put(Integer.toString(image.getIndex()), image);
    }
    int keep = topK == 0 ? order.size() : Math.min(topK, order.size());
    GenerateResult.Builder ranked =
        result.toBuilder().clearImages().setClipModel(scores.getModel());
    for (int rank = 0; rank < keep; rank++) {
      ImageScore score = order.get(rank);
      GeneratedImage image = byIndex.get(score.getClientId());
      if (image == null) {
        throw new IllegalStateException("Rerank scored an unknown image " + score.getClientId());
      }
      ranked.addImages(image.toBuilder().setClipScore(score.getScore()).setRank(rank + 1));
    }
    return ranked.build();
  }
}
