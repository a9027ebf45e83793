package multimodal.generator.inference.vision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CenterNetDecoderTest {
  private final CenterNetDecoder decoder =
      new CenterNetDecoder(List.of("person", "bicycle", "car"), 512);

  @Test
  void rowsAreX1Y1X2Y2ScoreClassInInputPixelsAndBecomeFractionsBestFirst() {
    float[] rows = {
      0, 0, 0, 0, 0, 0, // padding before the image's rows
      256, 128, 512, 384, 0.4f, 2,
      0, 0, 128, 256, 0.7f, 0,
      10, 10, 20, 20, 0.1f, 1, // below the threshold
    };
    List<Detection> detections =
        decoder.decode(rows, 6, 3, new DetectionSettings(0.2f, 0.4f, 10, false));
    assertThat(detections)
        .containsExactly(
            new Detection("person", 0.7f, 0f, 0f, 0.25f, 0.5f),
            new Detection("car", 0.4f, 0.5f, 0.25f, 1f, 0.75f));
  }

  @Test
  void overlappingPeaksOfDifferentClassesCompeteAndBoxesAreClamped() {
    float[] rows = {
      -10, 0, 100, 100, 0.6f, 0,
      0, 0, 100, 100, 0.5f, 1, // same place, other class: suppressed as in human
      400, 400, 530, 520, 0.3f, 2,
    };
    List<Detection> detections =
        decoder.decode(rows, 0, 3, new DetectionSettings(0.2f, 0.4f, 10, false));
    assertThat(detections).extracting(Detection::label).containsExactly("person", "car");
    assertThat(detections.get(0).xMin()).isZero();
    assertThat(detections.get(1).xMax()).isEqualTo(1f);
  }

  @Test
  void classAwareSuppressionKeepsOverlappingObjectsOfOtherClasses() {
    float[] rows = {
      10, 10, 60, 60, 0.6f, 0,
      0, 0, 100, 100, 0.5f, 2, // contains the person's box: kept, another class
      12, 10, 60, 62, 0.4f, 0, // the same person again: suppressed
    };
    List<Detection> detections =
        decoder.decode(rows, 0, 3, new DetectionSettings(0.2f, 0.4f, 10, true));
    assertThat(detections).extracting(Detection::label).containsExactly("person", "car");
    assertThat(decoder.decode(rows, 0, 3, new DetectionSettings(0.2f, 0.4f, 1, true))).hasSize(1);
  }

  @Test
  void skipsNanClassesAndRefusesAClassOutsideTheLabels() {
    float[] nan = {0, 0, 10, 10, 0.9f, Float.NaN};
    assertThat(decoder.decode(nan, 0, 1, DetectionSettings.HUMAN_DEFAULTS)).isEmpty();
    float[] unknown = {0, 0, 10, 10, 0.9f, 7};
    assertThatThrownBy(() -> decoder.decode(unknown, 0, 1, DetectionSettings.HUMAN_DEFAULTS))
        .hasMessageContaining("class index 7.0")
        .hasMessageContaining("3 labels");
  }
}
