package multimodal.modelimport.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NsfwClassesFileTest {

  @Test
  void readsClassesInIndexOrder() {
    String js =
        "exports.NSFW_CLASSES = {\n    1: 'Hentai',\n    0: 'Drawing',\n    2: \"Neutral\"\n};";
    assertThat(NsfwClassesFile.labels(js)).containsExactly("Drawing", "Hentai", "Neutral");
  }

  @Test
  void refusesAGapInTheIndices() {
    assertThatThrownBy(() -> NsfwClassesFile.labels("{0: 'A', 2: 'C'}"))
        .hasMessageContaining("0..n-1");
  }
}
