package multimodal.generator.inference.diffusion;

import java.util.Random;

/**
 * The seeded Gaussian source of one generation. Candidate {@code i} of a request with seed {@code
 * s} draws from its own {@link java.util.Random} seeded with {@code s + i}, so a candidate does not
 * depend on how many others are made with it (candidate 2 of seed 7 is candidate 0 of seed 9).
 *
 * <p>Why {@code java.util.Random}: its generator (48-bit LCG) and {@link Random#nextGaussian()}
 * (Marsaglia's polar method over {@link StrictMath}) are specified by the Java SE API, so a seed
 * gives the same numbers bit for bit on every JVM and machine; the faster {@code java.util.random}
 * algorithms do not pin their Gaussian sampling the same way. Each Gaussian is drawn as a double
 * and rounded to float, in {@code [C, h, w]} order per candidate: the initial latents first, then
 * one block per stochastic scheduler step. (Torch's generator cannot be reproduced here, so a seed
 * does not give the picture diffusers gives for it.)
 */
final class CandidateNoise {
  private final Random[] candidates;
  private final int rowSize;

  CandidateNoise(long seed, int candidates, int rowSize) {
    this.candidates = new Random[candidates];
    for (int i = 0; i < candidates; i++) {
      this.candidates[i] = new Random(seed + i);
    }
    this.rowSize = rowSize;
  }

  /** The next block of unit Gaussians of every candidate: {@code [N, C, h, w]}. */
  float[] draw() {
    float[] values = new float[candidates.length * rowSize];
    for (int row = 0; row < candidates.length; row++) {
      Random random = candidates[row];
      int offset = row * rowSize;
      for (int i = 0; i < rowSize; i++) {
        values[offset + i] = (float) random.nextGaussian();
      }
    }
    return values;
  }
}
