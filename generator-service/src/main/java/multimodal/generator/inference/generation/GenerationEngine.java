package multimodal.generator.inference.generation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The decoding loop, independent of the model layout: greedy or beam search over a {@link
 * DecoderState}, for several inputs at once (rows in lock-step), with max new tokens, stop tokens,
 * repetition penalty, no-repeat n-grams, cancellation and deadlines.
 *
 * <p>Beam search follows the standard Hugging Face description (docs/models.md §6.2): the batch
 * holds {@code numBeams} rows per input; each step takes log-softmax scores, keeps the best {@code
 * 2 * numBeams} (beam, token) pairs per input, closes hypotheses that hit a stop token and
 * re-orders the KV cache rows to follow the surviving beams.
 */
public final class GenerationEngine {
  /** Receives each token as soon as it is chosen (greedy), or the final tokens (beam search). */
  @FunctionalInterface
  public interface TokenListener {
    void onToken(int input, long token);

    TokenListener NONE = (input, token) -> {};
  }

  private GenerationEngine() {}

  /** Rows the decoder state must have for {@code inputs} inputs with these options. */
  public static int rows(int inputs, DecodingOptions options) {
    return inputs * options.numBeams();
  }

  /**
   * Generates for every input.
   *
   * @param state decoder state with {@link #rows} rows: input {@code i} owns rows {@code i*numBeams
   *     .. i*numBeams+numBeams-1}
   * @param prompts the decoder's first tokens per input; all of the same length
   * @return the generated tokens per input, stop token excluded
   */
  public static List<List<Long>> generate(
      DecoderState state,
      List<long[]> prompts,
      DecodingOptions options,
      GenerationControl control,
      TokenListener listener) {
    if (prompts.isEmpty()) {
      return List.of();
    }
    int length = prompts.get(0).length;
    for (long[] prompt : prompts) {
      if (prompt.length != length || length == 0) {
        throw new IllegalArgumentException(
            "prompts of a batch must be non-empty and of one length");
      }
    }
    if (state.rows() != rows(prompts.size(), options)) {
      throw new IllegalArgumentException(
          "decoder state has " + state.rows() + " rows, expected " + rows(prompts.size(), options));
    }
    return options.numBeams() == 1
        ? greedy(state, prompts, options, control, listener)
        : beam(state, prompts, options, control, listener);
  }

  private static List<List<Long>> greedy(
      DecoderState state,
      List<long[]> prompts,
      DecodingOptions options,
      GenerationControl control,
      TokenListener listener) {
    int n = prompts.size();
    List<List<Long>> sequences = new ArrayList<>();
    List<List<Long>> generated = new ArrayList<>();
    long[][] feed = new long[n][];
    for (int i = 0; i < n; i++) {
      sequences.add(boxed(prompts.get(i)));
      generated.add(new ArrayList<>());
      feed[i] = prompts.get(i).clone();
    }
    long filler = fillerToken(options, prompts.get(0));
    boolean[] done = new boolean[n];
    int open = n;
    for (int step = 0; step < options.maxNewTokens() && open > 0; step++) {
      control.check();
      float[][] logits = state.step(feed, control);
      control.stepped();
      for (int i = 0; i < n; i++) {
        if (done[i]) {
          feed[i] = new long[] {filler}; // finished rows ride along; their output is ignored
          continue;
        }
        LogitsRules.apply(logits[i], sequences.get(i), options);
        long next = LogitsRules.argmax(logits[i]);
        if (options.stopTokens().contains(next)) {
          done[i] = true;
          open--;
          feed[i] = new long[] {next};
          continue;
        }
        sequences.get(i).add(next);
        generated.get(i).add(next);
        listener.onToken(i, next);
        feed[i] = new long[] {next};
      }
    }
    control.check();
    return generated;
  }

  private record Hypothesis(double score, List<Long> tokens) {}

  private record Candidate(int beam, long token, double logProb) {}

  private static List<List<Long>> beam(
      DecoderState state,
      List<long[]> prompts,
      DecodingOptions options,
      GenerationControl control,
      TokenListener listener) {
    int n = prompts.size();
    int k = options.numBeams();
    long filler = fillerToken(options, prompts.get(0));
    double[][] beamScores = new double[n][k];
    List<List<List<Long>>> beams = new ArrayList<>(); // [input][beam] -> generated tokens
    List<List<Hypothesis>> finished = new ArrayList<>();
    boolean[] done = new boolean[n];
    long[][] feed = new long[n * k][];
    for (int i = 0; i < n; i++) {
      List<List<Long>> inputBeams = new ArrayList<>();
      for (int b = 0; b < k; b++) {
        inputBeams.add(new ArrayList<>());
        // Only beam 0 is live at first: identical beams would fill the beam with duplicates.
        beamScores[i][b] = b == 0 ? 0 : Double.NEGATIVE_INFINITY;
        feed[i * k + b] = prompts.get(i).clone();
      }
      beams.add(inputBeams);
      finished.add(new ArrayList<>());
    }

    for (int step = 0; step < options.maxNewTokens(); step++) {
      control.check();
      float[][] logits = state.step(feed, control);
      control.stepped();
      int[] order = new int[n * k];
      long[][] nextFeed = new long[n * k][];
      for (int i = 0; i < n; i++) {
        if (done[i]) {
          for (int b = 0; b < k; b++) {
            order[i * k + b] = i * k + b;
            nextFeed[i * k + b] = new long[] {filler};
          }
          continue;
        }
        List<Candidate> candidates = new ArrayList<>();
        for (int b = 0; b < k; b++) {
          if (beamScores[i][b] == Double.NEGATIVE_INFINITY) {
            continue;
          }
          float[] row = logits[i * k + b];
          List<Long> sequence = boxed(prompts.get(i));
          sequence.addAll(beams.get(i).get(b));
          LogitsRules.apply(row, sequence, options);
          LogitsRules.logSoftmax(row);
          for (int token : topK(row, 2 * k)) {
            if (row[token] != Float.NEGATIVE_INFINITY) {
              candidates.add(new Candidate(b, token, beamScores[i][b] + row[token]));
            }
          }
        }
        candidates.sort(Comparator.comparingDouble(Candidate::logProb).reversed());

        List<List<Long>> nextBeams = new ArrayList<>();
        double[] nextScores = new double[k];
        int kept = 0;
        for (int rank = 0; rank < candidates.size() && kept < k; rank++) {
          Candidate c = candidates.get(rank);
          List<Long> tokens = beams.get(i).get(c.beam());
          if (options.stopTokens().contains(c.token())) {
            if (rank < k) { // as in HF: a stop below the top k does not close a hypothesis
              addHypothesis(finished.get(i), k, c.logProb(), tokens, tokens.size() + 1, options);
            }
            continue;
          }
          List<Long> extended = new ArrayList<>(tokens);
          extended.add(c.token());
          nextBeams.add(extended);
          nextScores[kept] = c.logProb();
          order[i * k + kept] = i * k + c.beam();
          nextFeed[i * k + kept] = new long[] {c.token()};
          kept++;
        }
        for (; kept < k; kept++) { // fewer live candidates than beams: park empty beams
          nextBeams.add(new ArrayList<>());
          nextScores[kept] = Double.NEGATIVE_INFINITY;
          order[i * k + kept] = i * k;
          nextFeed[i * k + kept] = new long[] {filler};
        }
        beams.set(i, nextBeams);
        beamScores[i] = nextScores;
        done[i] = isDone(finished.get(i), k, nextScores[0], step + 1, options);
      }
      boolean allDone = true;
      for (boolean d : done) {
        allDone &= d;
      }
      if (allDone) {
        break;
      }
      state.reorder(order);
      feed = nextFeed;
    }
    control.check();

    List<List<Long>> results = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      for (int b = 0; b < k; b++) {
        if (!done[i] && beamScores[i][b] != Double.NEGATIVE_INFINITY) {
          List<Long> tokens = beams.get(i).get(b);
          addHypothesis(finished.get(i), k, beamScores[i][b], tokens, tokens.size(), options);
        }
      }
      List<Long> best =
          finished.get(i).stream()
              .max(Comparator.comparingDouble(Hypothesis::score))
              .map(Hypothesis::tokens)
              .orElse(List.of());
      for (long token : best) {
        listener.onToken(i, token);
      }
      results.add(best);
    }
    return results;
  }

  private static void addHypothesis(
      List<Hypothesis> finished,
      int k,
      double logProb,
      List<Long> tokens,
      int length,
      DecodingOptions options) {
    double score = logProb / Math.pow(Math.max(1, length), options.lengthPenalty());
    finished.add(new Hypothesis(score, List.copyOf(tokens)));
    if (finished.size() > k) {
      finished.sort(Comparator.comparingDouble(Hypothesis::score));
      finished.remove(0);
    }
  }

  /** HF's default (early_stopping=false) test: the best live beam cannot beat the worst kept. */
  private static boolean isDone(
      List<Hypothesis> finished, int k, double bestLive, int length, DecodingOptions options) {
    if (finished.size() < k) {
      return false;
    }
    if (bestLive == Double.NEGATIVE_INFINITY) {
      return true;
    }
    double worst = finished.stream().mapToDouble(Hypothesis::score).min().orElseThrow();
    return bestLive / Math.pow(length, options.lengthPenalty()) <= worst;
  }

  private static int[] topK(float[] row, int k) {
    int m = Math.min(k, row.length);
    int[] best = new int[m];
    Arrays.fill(best, -1);
    for (int token = 0; token < row.length; token++) {
      float v = row[token];
      if (best[m - 1] >= 0 && v <= row[best[m - 1]]) {
        continue;
      }
      int pos = m - 1;
      while (pos > 0 && (best[pos - 1] < 0 || v > row[best[pos - 1]])) {
        best[pos] = best[pos - 1];
        pos--;
      }
      best[pos] = token;
    }
    return Arrays.stream(best).filter(t -> t >= 0).toArray();
  }

  private static long fillerToken(DecodingOptions options, long[] prompt) {
    return options.stopTokens().isEmpty()
        ? prompt[prompt.length - 1]
        : options.stopTokens().iterator().next();
  }

  private static List<Long> boxed(long[] tokens) {
    List<Long> list = new ArrayList<>(tokens.length);
    for (long t : tokens) {
      list.add(t);
    }
    return list;
  }
}
