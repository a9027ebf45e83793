package multimodal.generator.inference.generation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The decoding loop and logits rules against a scripted decoder (no ONNX). */
class GenerationEngineTest {
  private static final long EOS = 0;

  /** Scores depend only on the row's last token: {@code next.apply(last)} gives the logits. */
  private static final class ScriptedState implements DecoderState {
    private final Function<List<Long>, float[]> next;
    private List<List<Long>> rows = new ArrayList<>();

    ScriptedState(int rows, Function<List<Long>, float[]> next) {
      this.next = next;
      for (int i = 0; i < rows; i++) {
        this.rows.add(new ArrayList<>());
      }
    }

    @Override
    public int rows() {
      return rows.size();
    }

    @Override
    public float[][] step(long[][] tokens, GenerationControl control) {
      float[][] out = new float[rows.size()][];
      for (int r = 0; r < rows.size(); r++) {
        for (long t : tokens[r]) {
          rows.get(r).add(t);
        }
        out[r] = next.apply(rows.get(r));
      }
      return out;
    }

    @Override
    public void reorder(int[] order) {
      List<List<Long>> reordered = new ArrayList<>();
      for (int i : order) {
        reordered.add(new ArrayList<>(rows.get(i)));
      }
      rows = reordered;
    }

    @Override
    public void close() {}
  }

  private static float[] logits(int vocab, int best, float... others) {
    float[] row = new float[vocab];
    java.util.Arrays.fill(row, -10);
    row[best] = 5;
    for (int i = 0; i + 1 < others.length; i += 2) {
      row[(int) others[i]] = others[i + 1];
    }
    return row;
  }

  @Test
  void repetitionPenaltyDividesPositiveAndMultipliesNegativeScoresOnce() {
    float[] row = {2f, -2f, 1f};
    LogitsRules.repetitionPenalty(row, List.of(0L, 1L, 0L), 2f);
    assertThat(row).containsExactly(1f, -4f, 1f);
  }

  @Test
  void noRepeatNgramBansTheTokenThatWouldRepeatATrigram() {
    float[] row = new float[5];
    // sequence 1 2 3 1 2 -> next 3 would repeat "1 2 3"
    LogitsRules.banRepeatedNgrams(row, List.of(1L, 2L, 3L, 1L, 2L), 3);
    assertThat(row[3]).isEqualTo(Float.NEGATIVE_INFINITY);
    assertThat(row[4]).isZero();
  }

  @Test
  void greedyLoopsWithoutRulesAndStopsRepeatingWithThem() {
    // The model always prefers token 1 after anything: "1 1 1 1".
    Function<List<Long>, float[]> model = seq -> logits(4, 1, 2, 4f);
    DecodingOptions plain = DecodingOptions.greedy(4, Set.of(EOS));
    List<List<Long>> out =
        GenerationEngine.generate(
            new ScriptedState(1, model),
            List.of(new long[] {3}),
            plain,
            GenerationControl.unlimited(),
            GenerationEngine.TokenListener.NONE);
    assertThat(out.get(0)).containsExactly(1L, 1L, 1L, 1L);

    DecodingOptions penalised = new DecodingOptions(4, 1, 2.0f, 0, 1f, Set.of(EOS), true);
    out =
        GenerationEngine.generate(
            new ScriptedState(1, model),
            List.of(new long[] {3}),
            penalised,
            GenerationControl.unlimited(),
            GenerationEngine.TokenListener.NONE);
    // once seen, 1 scores 5/2 < 4 (so 2 comes); once both are seen, 5/2 > 4/2 (penalised once each)
    assertThat(out.get(0)).containsExactly(1L, 2L, 1L, 1L);

    DecodingOptions noRepeat = new DecodingOptions(4, 1, 1.0f, 1, 1f, Set.of(EOS), true);
    out =
        GenerationEngine.generate(
            new ScriptedState(1, model),
            List.of(new long[] {3}),
            noRepeat,
            GenerationControl.unlimited(),
            GenerationEngine.TokenListener.NONE);
    // n=1 bans every token seen (start token 3 too): 1, then 2, then only EOS is left.
    assertThat(out.get(0)).containsExactly(1L, 2L);
  }

  @Test
  void beamSearchFindsTheSequenceGreedyMisses() {
    // From start 9: token 1 (p~0.6) then a flat continuation; token 2 (p~0.4) then a sure EOS.
    Function<List<Long>, float[]> model =
        seq -> {
          long last = seq.get(seq.size() - 1);
          float[] row = new float[6];
          java.util.Arrays.fill(row, -20);
          if (last == 9) {
            row[1] = (float) Math.log(0.6);
            row[2] = (float) Math.log(0.4);
          } else if (last == 1) {
            for (int t = 3; t < 6; t++) {
              row[t] = (float) Math.log(1 / 3.0);
            }
          } else {
            row[(int) EOS] = 0;
          }
          return row;
        };
    List<List<Long>> greedy =
        GenerationEngine.generate(
            new ScriptedState(1, model),
            List.of(new long[] {9}),
            DecodingOptions.greedy(2, Set.of(EOS)),
            GenerationControl.unlimited(),
            GenerationEngine.TokenListener.NONE);
    assertThat(greedy.get(0).get(0)).isEqualTo(1L);

    DecodingOptions beams = new DecodingOptions(3, 2, 1f, 0, 1f, Set.of(EOS), true);
    List<List<Long>> best =
        GenerationEngine.generate(
            new ScriptedState(2, model),
            List.of(new long[] {9}),
            beams,
            GenerationControl.unlimited(),
            GenerationEngine.TokenListener.NONE);
    assertThat(best.get(0)).containsExactly(2L);
  }

  @Test
  void batchedRowsFinishIndependently() {
    Function<List<Long>, float[]> model =
        seq -> {
          long start = seq.get(0);
          int generated = seq.size() - 1;
          return generated >= start ? logits(4, (int) EOS) : logits(4, 3);
        };
    List<List<Long>> out =
        GenerationEngine.generate(
            new ScriptedState(2, model),
            List.of(new long[] {1}, new long[] {3}),
            DecodingOptions.greedy(10, Set.of(EOS)),
            GenerationControl.unlimited(),
            GenerationEngine.TokenListener.NONE);
    assertThat(out.get(0)).containsExactly(3L);
    assertThat(out.get(1)).containsExactly(3L, 3L, 3L);
  }
}
