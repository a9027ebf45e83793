package multimodal.retrieval.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import multimodal.retrieval.bench.QueryEngine.Pass;
import org.junit.jupiter.api.Test;

/** The benchmark's equal-recall ratios rest on this interpolation. */
class EqualRecallTest {
  // ef ascending: recall rises, QPS falls; given out of order on purpose
  private static final List<Pass> CURVE =
      List.of(new Pass(600, 0.90), new Pass(1000, 0.80), new Pass(400, 0.95));

  @Test
  void interpolatesLinearlyBetweenTheNeighbouringRecalls() {
    assertThat(EqualRecall.qpsAt(0.85, CURVE)).isCloseTo(800, within(1e-9));
    assertThat(EqualRecall.qpsAt(0.94, CURVE)).isCloseTo(440, within(1e-9));
  }

  @Test
  void takesAMeasuredPointAsItIs() {
    assertThat(EqualRecall.qpsAt(0.90, CURVE)).isEqualTo(600);
    assertThat(EqualRecall.qpsAt(0.80, CURVE)).isEqualTo(1000);
    assertThat(EqualRecall.qpsAt(0.95, CURVE)).isEqualTo(400);
  }

  @Test
  void isUndefinedOutsideTheMeasuredRange() {
    assertThat(EqualRecall.qpsAt(0.79, CURVE)).isNaN();
    assertThat(EqualRecall.qpsAt(0.96, CURVE)).isNaN();
    assertThat(EqualRecall.qpsAt(0.9, List.of())).isNaN();
  }

  @Test
  void medianOfOddAndEvenCounts() {
    assertThat(InterleavedRounds.median(new double[] {3, 1, 2})).isEqualTo(2);
    assertThat(InterleavedRounds.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
  }
}
