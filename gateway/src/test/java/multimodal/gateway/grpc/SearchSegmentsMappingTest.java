package multimodal.gateway.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import multimodal.gateway.SearchResult;
import multimodal.v1.SearchHit;
import multimodal.v1.SearchResponse;
import multimodal.v1.TimeRange;
import multimodal.v1.TimedText;
import org.junit.jupiter.api.Test;

/** A hit inside a transcript keeps its segments' time ranges in the REST JSON. */
class SearchSegmentsMappingTest {
  @Test
  void segmentsOfAHitBecomeTimeRangesInTheJson() throws Exception {
    SearchResponse response =
        SearchResponse.newBuilder()
            .addHits(
                SearchHit.newBuilder()
                    .setMediaId("talk.wav")
                    .setContentType("audio/wav")
                    .addSegments(
                        TimedText.newBuilder()
                            .setTime(TimeRange.newBuilder().setStartMs(4_500).setEndMs(7_100))
                            .setText("my daughter plays the piano every evening")
                            .setScore(1f)))
            .addHits(SearchHit.newBuilder().setMediaId("photo.png"))
            .build();

    SearchResult result =
        RetrievalClient.toResult(
            "piano evening", new SearchResult.SafeSearch(true, 0.5f), response);

    JsonNode json = new ObjectMapper().valueToTree(result);
    JsonNode segment = json.at("/hits/0/segments/0");
    assertThat(segment.get("startMs").asLong()).isEqualTo(4_500);
    assertThat(segment.get("endMs").asLong()).isEqualTo(7_100);
    assertThat(segment.get("text").asText()).isEqualTo("my daughter plays the piano every evening");
    assertThat(segment.get("score").floatValue()).isEqualTo(1f);
    assertThat(json.at("/hits/1/segments").isEmpty()).isTrue();
  }
}
