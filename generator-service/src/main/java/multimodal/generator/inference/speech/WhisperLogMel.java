package multimodal.generator.inference.speech;

/**
 * Whisper's audio front end: 30 s of 16 kHz audio → an 80 × 3000 log-mel spectrogram, as the
 * encoder was trained on it. The recipe: the clip padded with zeros to 30 s; a centred STFT
 * (reflect padding of half a window) with a periodic Hann window of 400 samples and a hop of 160;
 * the power spectrum without its last frame; a Slaney-style mel filterbank (0–8 kHz,
 * area-normalised, as librosa builds it); {@code log10(max(mel, 1e-10))}; values below the window's
 * maximum − 8 raised to it; then {@code (x + 4) / 4}.
 *
 * <p>The 400-point DFT is written out here (a precomputed cosine/sine table, 201 bins): 400 is not
 * a power of two, no FFT library is on the service's class path, and at 3000 frames per window the
 * direct transform costs well under a second per 30 s. Thread-safe: the tables are read-only.
 */
public final class WhisperLogMel {
  public static final int SAMPLE_RATE = Pcm16k.SAMPLE_RATE;
  public static final int N_FFT = 400;
  public static final int HOP = 160;
  public static final int CHUNK_SECONDS = 30;
  public static final int CHUNK_SAMPLES = CHUNK_SECONDS * SAMPLE_RATE;
  public static final int FRAMES = CHUNK_SAMPLES / HOP;
  private static final int BINS = N_FFT / 2 + 1;

  private final int mels;
  private final double[] window = new double[N_FFT];
  private final double[] cos = new double[BINS * N_FFT];
  private final double[] sin = new double[BINS * N_FFT];
  private final double[][] filters;

  /**
   * @param mels mel bins: 80 for every Whisper but large-v3 (128)
   */
  public WhisperLogMel(int mels) {
    this.mels = mels;
    for (int n = 0; n < N_FFT; n++) {
      window[n] = 0.5 - 0.5 * Math.cos(2 * Math.PI * n / N_FFT);
    }
    for (int k = 0; k < BINS; k++) {
      for (int n = 0; n < N_FFT; n++) {
        double angle = 2 * Math.PI * ((long) k * n % N_FFT) / N_FFT;
        cos[k * N_FFT + n] = Math.cos(angle);
        sin[k * N_FFT + n] = Math.sin(angle);
      }
    }
    this.filters = melFilters(mels);
  }

  public int mels() {
    return mels;
  }

  /**
   * @param samples up to {@link #CHUNK_SAMPLES} samples in [-1, 1]; fewer are padded with silence
   * @return {@code mels × FRAMES} values, row-major (mel bin, then frame): the encoder's {@code
   *     input_features} for one window
   */
  public float[] compute(float[] samples) {
    if (samples.length > CHUNK_SAMPLES) {
      throw new IllegalArgumentException("more than 30 s: " + samples.length + " samples");
    }
    double[] padded = new double[CHUNK_SAMPLES + N_FFT];
    int half = N_FFT / 2;
    for (int i = 0; i < samples.length; i++) {
      padded[half + i] = samples[i];
    }
    // Reflect padding at both ends (numpy's "reflect": the edge sample is not repeated).
    for (int i = 1; i <= half; i++) {
      padded[half - i] = padded[half + i];
      padded[half + CHUNK_SAMPLES - 1 + i] = padded[half + CHUNK_SAMPLES - 1 - i];
    }
    double[] logMel = new double[mels * FRAMES];
    double[] frame = new double[N_FFT];
    double[] power = new double[BINS];
    double max = Double.NEGATIVE_INFINITY;
    for (int t = 0; t < FRAMES; t++) {
      int start = t * HOP;
      for (int n = 0; n < N_FFT; n++) {
        frame[n] = padded[start + n] * window[n];
      }
      for (int k = 0; k < BINS; k++) {
        double re = 0;
        double im = 0;
        int row = k * N_FFT;
        for (int n = 0; n < N_FFT; n++) {
          re += frame[n] * cos[row + n];
          im -= frame[n] * sin[row + n];
        }
        power[k] = re * re + im * im;
      }
      for (int m = 0; m < mels; m++) {
        double[] filter = filters[m];
        double sum = 0;
        for (int k = 0; k < BINS; k++) {
          sum += filter[k] * power[k];
        }
        double value = Math.log10(Math.max(sum, 1e-10));
        logMel[m * FRAMES + t] = value;
        max = Math.max(max, value);
      }
    }
    float[] features = new float[logMel.length];
    double floor = max - 8.0;
    for (int i = 0; i < logMel.length; i++) {
      features[i] = (float) ((Math.max(logMel[i], floor) + 4.0) / 4.0);
    }
    return features;
  }

  /** The filterbank librosa builds with {@code htk=False, norm="slaney"}: {@code [mels][201]}. */
  static double[][] melFilters(int mels) {
    double[] fftFreqs = new double[BINS];
    for (int k = 0; k < BINS; k++) {
      fftFreqs[k] = (double) k * SAMPLE_RATE / N_FFT;
    }
    double low = hzToMel(0);
    double high = hzToMel(SAMPLE_RATE / 2.0);
    double[] melF = new double[mels + 2];
    for (int i = 0; i < melF.length; i++) {
      melF[i] = melToHz(low + (high - low) * i / (mels + 1));
    }
    double[][] weights = new double[mels][BINS];
    for (int i = 0; i < mels; i++) {
      double enorm = 2.0 / (melF[i + 2] - melF[i]);
      for (int k = 0; k < BINS; k++) {
        double lower = (fftFreqs[k] - melF[i]) / (melF[i + 1] - melF[i]);
        double upper = (melF[i + 2] - fftFreqs[k]) / (melF[i + 2] - melF[i + 1]);
        weights[i][k] = Math.max(0, Math.min(lower, upper)) * enorm;
      }
    }
    return weights;
  }

  private static final double F_SP = 200.0 / 3;
  private static final double MIN_LOG_HZ = 1000.0;
  private static final double MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
  private static final double LOG_STEP = Math.log(6.4) / 27.0;

  private static double hzToMel(double hz) {
    return hz >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOG_STEP : hz / F_SP;
  }

  private static double melToHz(double mel) {
    return mel >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOG_STEP * (mel - MIN_LOG_MEL)) : F_SP * mel;
  }
}
