package multimodal.generator.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import multimodal.generator.inference.vision.Detection;
import org.junit.jupiter.api.Test;

/** The comparison bench's NanoDet decoding follows @vladmandic/human's nanodet.ts rule for rule. */
class NanoDetDecoderTest {
  private static final int CLASSES = 80;
  private static final List<String> LABELS = labels();

  private final float[][] scores = new float[3][];
  private final float[][] distributions = new float[3][];
  private final NanoDetDecoder decoder = new NanoDetDecoder(LABELS, 416);

  NanoDetDecoderTest() {
    for (int level = 0; level < 3; level++) {
      int grid = 13 << level;
      scores[level] = new float[grid * grid * CLASSES];
      distributions[level] = new float[grid * grid * 44];
    }
  }

  @Test
  void boxComesFromTheArgMaxBinOfEachSideScaledLikeHuman() {
    // coarsest grid (13, human's strideSize 1), cell at column 3, row 2; class 17 (horse)
    int cell = 2 * 13 + 3;
    scores[0][cell * CLASSES + 17] = 0.456f;
    int[] bins = {2, 1, 4, 3};
    for (int side = 0; side < 4; side++) {
      distributions[0][(cell * 4 + side) * 11 + bins[side]] = 5f;
      distributions[0][(cell * 4 + side) * 11 + 10] = 4.9f; // a lower peak that must not win
    }
    List<Detection> tags = decoder.decode(scores, distributions, 0.2, 0.4f, 10);

    assertEquals(1, tags.size());
    Detection horse = tags.get(0);
    assertEquals("label17", horse.label());
    assertEquals(0.46f, horse.score(), 0f, "rounded to two decimals as human does");
    double cx = 3.5 / 13;
    double cy = 2.5 / 13;
    double unit = 13.0 / 416 * 2.5; // bin index * (13 / 1 / 416), times scaleBox / strideSize
    assertEquals(cx - 2 * unit, horse.xMin(), 1e-6);
    assertEquals(cy - 1 * unit, horse.yMin(), 1e-6);
    assertEquals(cx + 4 * unit, horse.xMax(), 1e-6);
    assertEquals(cy + 3 * unit, horse.yMax(), 1e-6);
  }

  @Test
  void finerGridsUseTheirOwnCellSizeAndStride() {
    int cell = 10 * 52 + 20; // finest grid (52, strideSize 4)
    scores[2][cell * CLASSES] = 0.9f;
    distributions[2][(cell * 4) * 11 + 8] = 1f; // left side, bin 8
    List<Detection> tags = decoder.decode(scores, distributions, 0.2, 0.4f, 10);

    assertEquals(1, tags.size());
    assertEquals(20.5 / 52 - 2.5 / 4 * 8 * 13.0 / 416, tags.get(0).xMin(), 1e-6);
    assertEquals(20.5 / 52, tags.get(0).xMax(), 1e-6, "bin 0 on the right: no extent");
  }

  @Test
  void leavesOutToiletsAndScoresNotAboveTheThreshold() {
    scores[0][5 * CLASSES + 61] = 0.95f;
    scores[0][6 * CLASSES + 1] = Math.nextDown(0.2f); // float32 0.2 itself is above JS's 0.2
    scores[0][7 * CLASSES + 2] = 0.15f;
    assertTrue(decoder.decode(scores, distributions, 0.2, 0.4f, 10).isEmpty());
  }

  @Test
  void aScoreRoundedDownToTheThresholdStillPassesTheNmsLikeInTfJs() {
    scores[0][5 * CLASSES + 3] = 0.2049f; // above 0.2, rounded to 0.20; float32 0.2 > JS 0.2
    List<Detection> tags = decoder.decode(scores, distributions, 0.2, 0.4f, 10);
    assertEquals(1, tags.size());
    assertEquals(0.2f, tags.get(0).score());
  }

  @Test
  void suppressionIgnoresTheClassAndKeepsTheBetterBox() {
    int cell = 6 * 13 + 6;
    scores[0][cell * CLASSES + 41] = 0.5f; // cup
    scores[0][cell * CLASSES + 60] = 0.7f; // dining table, same cell: the same box
    scores[0][(cell + 13) * CLASSES + 41] =
        0.3f; // next row down, bin 0: a point, overlapping nothing
    for (int side = 0; side < 4; side++) {
      distributions[0][(cell * 4 + side) * 11 + 1] = 1f;
    }
    List<Detection> tags = decoder.decode(scores, distributions, 0.2, 0.4f, 10);
    assertEquals(List.of("label60", "label41"), tags.stream().map(Detection::label).toList());
    assertEquals(List.of(0.7f, 0.3f), tags.stream().map(Detection::score).toList());
  }

  @Test
  void nmsSeesWidthAndHeightAsCornersAsInHuman() {
    // two boxes of the same row, 3 cells apart: [0.42, 0.58] and [0.65, 0.81] across, disjoint;
    // human
    // hands [y, x, h, w] to the NMS, so across they become [0.16, 0.42] and [0.16, 0.65]: IoU 0.54
    int cell = 6 * 13 + 6;
    scores[0][cell * CLASSES + 41] = 0.5f;
    scores[0][(cell + 3) * CLASSES + 41] = 0.3f;
    for (int side = 0; side < 4; side++) {
      distributions[0][(cell * 4 + side) * 11 + 1] = 1f;
      distributions[0][((cell + 3) * 4 + side) * 11 + 1] = 1f;
    }
    List<Detection> tags = decoder.decode(scores, distributions, 0.2, 0.4f, 10);
    assertEquals(List.of(0.5f), tags.stream().map(Detection::score).toList());
  }

  @Test
  void keepsAtMostMaxDetected() {
    for (int cell = 0; cell < 169; cell += 13) {
      scores[0][cell * CLASSES] =
          0.5f; // bin 0 everywhere: each box a point, which overlaps nothing
    }
    assertEquals(4, decoder.decode(scores, distributions, 0.2, 0.4f, 4).size());
  }

  @Test
  void aMissingOrMisshapedOutputIsAClearError() {
    distributions[1] = null;
    IllegalArgumentException missing =
        assertThrows(
            IllegalArgumentException.class,
            () -> decoder.decode(scores, distributions, 0.2, 0.4f, 10));
    assertTrue(
        missing.getMessage().contains("box distributions of level 1 have no output"),
        missing.getMessage());
    distributions[1] = new float[26 * 26 * 44];
    scores[2] = new float[7];
    IllegalArgumentException shape =
        assertThrows(
            IllegalArgumentException.class,
            () -> decoder.decode(scores, distributions, 0.2, 0.4f, 10));
    assertTrue(
        shape.getMessage().contains("scores of level 2 have 7 values, expected 216320"),
        shape.getMessage());
  }

  private static List<String> labels() {
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < CLASSES; i++) {
      labels.add("label" + i);
    }
    return labels;
  }
}
