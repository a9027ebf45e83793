package multimodal.generator.inference.speech;

import java.util.Objects;

/**
 * Decoded audio as every recogniser takes it: 16 kHz, one channel, signed 16-bit little-endian
 * samples.
 *
 * @param samples two bytes per sample
 */
public record Pcm16k(byte[] samples) {
  public static final int SAMPLE_RATE = 16_000;
  public static final int BYTES_PER_SAMPLE = 2;

  public Pcm16k {
    Objects.requireNonNull(samples, "samples");
    if (samples.length % BYTES_PER_SAMPLE != 0) {
      throw new IllegalArgumentException("odd number of bytes: " + samples.length);
    }
  }

  public int sampleCount() {
    return samples.length / BYTES_PER_SAMPLE;
  }

  /** True for no samples at all: a video without an audio track. */
  public boolean isEmpty() {
    return samples.length == 0;
  }

  public long durationMillis() {
    return sampleCount() * 1000L / SAMPLE_RATE;
  }

  @Override
  public String toString() {
    return "Pcm16k[" + durationMillis() + " ms]";
  }
}
