package multimodal.generator.inference.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ChannelValuesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void channelValuesReadsThreeNumbersAndFallsBackOtherwise() throws Exception {
    JsonNode config = JSON.readTree("{\"image_mean\": [0.25, 0.5, 0.75], \"image_std\": [1, 2]}");
    assertThat(ChannelValues.read(config.path("image_mean"), 0f))
        .containsExactly(0.25f, 0.5f, 0.75f);
    assertThat(ChannelValues.read(config.path("image_std"), 0.5f))
        .containsExactly(0.5f, 0.5f, 0.5f);
    assertThat(ChannelValues.read(config.path("absent"), new float[] {1, 2, 3}))
        .containsExactly(1f, 2f, 3f);
  }
}
