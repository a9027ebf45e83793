package multimodal.gateway.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BodyPaceTest {
  private final BodyPace pace = new BodyPace(5_000, 1_000);

  @Test
  void everyBodyHasTheGrace() {
    assertThat(pace.tooSlow(5_000, 0, false)).isFalse();
    assertThat(pace.tooSlow(5_000, 0, true)).isFalse();
  }

  @Test
  void offTheUploadRouteTheGraceIsAllThereIs() {
    assertThat(pace.tooSlow(5_001, 10_000_000, false)).isTrue();
  }

  @Test
  void anUploadMayTakeLongerWhileItKeepsThePace() {
    assertThat(pace.tooSlow(65_000, 60_000, true)).isFalse(); // 60 s after the grace, 60 000 bytes
    assertThat(pace.tooSlow(65_000, 59_999, true)).isTrue();
  }

  @Test
  void aTrickleIsCutOffSoonAfterTheGraceWhateverItDeclared() {
    assertThat(pace.tooSlow(6_000, 10, true)).isTrue();
  }

  @Test
  void refusesAPaceOfNothing() {
    assertThatThrownBy(() -> new BodyPace(1_000, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
