package multimodal.modelimport;

/**
 * The deterministic input generator shared with reference/lcg.js: a 31-bit LCG with glibc's
 * constants, whose bits 16-23 are the byte. Java's int arithmetic wraps at 32 bits exactly like
 * JavaScript's Math.imul.
 */
final class SyntheticInput {

  private SyntheticInput() {}

  static float[] bytes(int seed, int count) {
    int x = seed & 0x7fffffff;
    float[] out = new float[count];
    for (int i = 0; i < count; i++) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      out[i] = (x >>> 16) & 255;
    }
    return out;
  }
}
