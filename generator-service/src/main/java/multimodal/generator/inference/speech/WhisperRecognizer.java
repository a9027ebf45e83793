package multimodal.generator.inference.speech;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import multimodal.generator.inference.caption.EncoderDecoderState;
import multimodal.generator.inference.generation.GenerationControl;
import multimodal.generator.inference.generation.GenerationStoppedException;
import multimodal.generator.inference.generation.KvCache;
import multimodal.generator.inference.onnx.ModelFiles;
import multimodal.generator.inference.onnx.OrtTensors;
import multimodal.generator.inference.onnx.Sessions;
import multimodal.generator.inference.text.TextTokenizer;

/**
 * Whisper on ONNX Runtime, for the export layout of Hugging Face Optimum ({@code
 * onnx-community/whisper-*}, {@code Xenova/whisper-*}; docs/models.md): {@code
 * onnx/encoder_model.onnx} ({@code input_features [B, mels, 3000]} → {@code last_hidden_state}) and
 * {@code onnx/decoder_model_merged.onnx} ({@code input_ids}, {@code encoder_hidden_states}, {@code
 * past_key_values.N.decoder/encoder.key/value}, {@code use_cache_branch}), or {@code
 * onnx/decoder_model.onnx} (no past: every step recomputes the sequence), with {@code
 * tokenizer.json} read by DJL's Hugging Face tokenizers.
 *
 * <p>The audio is cut into 30 s windows (the last one padded with silence); each becomes a log-mel
 * spectrogram ({@link WhisperLogMel}), is encoded once, and is decoded greedily from {@code
 * <|startoftranscript|>} (plus {@code <|en|> <|transcribe|>} for a multilingual model) with
 * timestamps, under Whisper's timestamp rules ({@link WhisperTimestampRules}), the self-attention
 * keys/values cached and the cross-attention ones kept from the first step. Each timestamp pair
 * becomes a segment, shifted by its window's start. Whisper gives no word times without an
 * alignment pass, so segments carry no words. The windows are fixed (not moved to the last complete
 * segment as the reference decoder does), so a word cut by a window boundary may be lost or split.
 */
public final class WhisperRecognizer implements SpeechRecognizer, AutoCloseable {
  public static final String NAME = "whisper";
  private static final String MERGED = "decoder_model_merged";
  private static final String PLAIN = "decoder_model";

  /**
   * @param timeout longest one clip may take (all its windows)
   * @param useCache decode with the KV cache (off: recompute the whole sequence every step, the
   *     baseline; always off for a decoder without past inputs)
   * @param maxTokensPerWindow tokens generated per 30 s window at most (Whisper's own limit is 224)
   */
  public record Settings(Duration timeout, boolean useCache, int maxTokensPerWindow) {
    public static Settings defaults(Duration timeout) {
      return new Settings(timeout, true, 224);
    }
  }

  private final OrtEnvironment env;
  private final OrtSession encoder;
  private final OrtSession decoder;
  private final TextTokenizer tokenizer;
  private final WhisperTokens tokens;
  private final WhisperTimestampRules rules;
  private final WhisperLogMel logMel;
  private final Settings settings;
  private final boolean cached;
  private final RecognizerInfo info;

  private WhisperRecognizer(
      OrtEnvironment env,
      OrtSession encoder,
      OrtSession decoder,
      TextTokenizer tokenizer,
      WhisperTokens tokens,
      WhisperLogMel logMel,
      Settings settings,
      RecognizerInfo info) {
    this.env = env;
    this.encoder = encoder;
    this.decoder = decoder;
    this.tokenizer = tokenizer;
    this.tokens = tokens;
    this.rules = new WhisperTimestampRules(tokens);
    this.logMel = logMel;
    this.settings = settings;
    this.cached = settings.useCache() && !KvCache.pastNames(decoder).isEmpty();
    this.info = info;
  }

  /**
   * Loads a model directory.
   *
   * @throws IllegalStateException naming the missing file, input or token when the directory is not
   *     a Whisper export
   */
  public static WhisperRecognizer load(
      Path dir, OrtEnvironment env, OrtSession.SessionOptions options, Settings settings)
      throws OrtException, IOException {
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException(
          "Whisper model directory " + dir + " does not exist (generator.speech.whisper.dir)");
    }
    ModelFiles files = new ModelFiles(dir);
    Path onnx = dir.resolve("onnx");
    String decoderName =
        Files.isRegularFile(onnx.resolve(MERGED + ".onnx"))
            ? MERGED
            : Files.isRegularFile(onnx.resolve(PLAIN + ".onnx")) ? PLAIN : null;
    if (decoderName == null) {
      throw new IllegalStateException(
          "missing model file "
              + onnx.resolve(MERGED + ".onnx")
              + " (or "
              + PLAIN
              + ".onnx): not a Whisper export");
    }
    Path encoderFile = files.onnx("encoder_model");
    OrtSession encoder = null;
    OrtSession decoder = null;
    TextTokenizer tokenizer = null;
    try {
      tokenizer = TextTokenizer.load(files.tokenizer());
      encoder = env.createSession(encoderFile.toString(), options);
      decoder = env.createSession(files.onnx(decoderName).toString(), options);
      OrtTensors.requireInputs(encoder, "encoder_model.onnx", List.of("input_features"));
      OrtTensors.requireInputs(
          decoder, decoderName + ".onnx", List.of("input_ids", "encoder_hidden_states"));
      long[] features = OrtTensors.inputShape(encoder, "input_features");
      int mels = files.preprocessor().path("feature_size").asInt(80);
      if (features.length != 3 || (features[1] > 0 && features[1] != mels)) {
        throw new IllegalStateException(
            "encoder_model.onnx: input_features is "
                + java.util.Arrays.toString(features)
                + ", expected [batch, "
                + mels
                + ", 3000]");
      }
      boolean multilingual = files.setting("is_multilingual").asBoolean(false);
      WhisperTokens tokens = WhisperTokens.of(tokenizer, multilingual);
      RecognizerInfo info =
          new RecognizerInfo(NAME, files.version(), multilingual ? "en" : "en-US", files.fixture());
      return new WhisperRecognizer(
          env, encoder, decoder, tokenizer, tokens, new WhisperLogMel(mels), settings, info);
    } catch (OrtException | IOException | RuntimeException e) {
      Sessions.closeQuietly(tokenizer, encoder, decoder);
      throw e;
    }
  }

  @Override
  public RecognizerInfo info() {
    return info;
  }

  /** True when decoding uses the KV cache (a merged decoder and the setting on). */
  public boolean cached() {
    return cached;
  }

  @Override
  public Transcript transcribe(Pcm16k audio) {
    float[] samples = floats(audio);
    List<Transcript.Segment> segments = new ArrayList<>();
    try (GenerationControl control = GenerationControl.withTimeout(settings.timeout())) {
      for (int offset = 0; offset < samples.length; offset += WhisperLogMel.CHUNK_SAMPLES) {
        int length = Math.min(WhisperLogMel.CHUNK_SAMPLES, samples.length - offset);
        float[] window = new float[length];
        System.arraycopy(samples, offset, window, 0, length);
        long startMs = offset * 1000L / WhisperLogMel.SAMPLE_RATE;
        long endMs = (offset + length) * 1000L / WhisperLogMel.SAMPLE_RATE;
        segments.addAll(segments(decodeWindow(window, control), startMs, endMs));
      }
    } catch (GenerationStoppedException e) {
      throw new SpeechRecognitionException(
          "Whisper ran longer than " + settings.timeout().toSeconds() + " s on this clip");
    } catch (OrtException | IllegalStateException e) {
      throw new SpeechRecognitionException("Whisper failed: " + e.getMessage());
    }
    return new Transcript(segments);
  }

  /** The tokens generated for one window, without the prompt. */
  List<Long> decodeWindow(float[] window, GenerationControl control) throws OrtException {
    float[] features = logMel.compute(window);
    List<Long> generated = new ArrayList<>();
    try (OnnxTensor input =
            OrtTensors.floatTensor(env, features, 1, logMel.mels(), WhisperLogMel.FRAMES);
        OrtSession.Result encoded =
            encoder.run(Map.of("input_features", input), control.runOptions());
        EncoderDecoderState state =
            new EncoderDecoderState(
                env,
                decoder,
                1,
                EncoderDecoderState.TokenInput.ids(),
                Map.of("encoder_hidden_states", (OnnxTensor) encoded.get(0)),
                name -> name.contains(".encoder."),
                cached)) {
      float[][] logits = state.step(new long[][] {tokens.prompt()}, control);
      for (int i = 0; i < settings.maxTokensPerWindow(); i++) {
        control.check();
        control.stepped();
        rules.apply(logits[0], generated);
        long next = argmax(logits[0]);
        generated.add(next);
        if (next == tokens.endOfText()) {
          break;
        }
        logits = state.step(new long[][] {{next}}, control);
      }
    }
    return generated;
  }

  /**
   * Timestamp pairs → segments: text between an opening and a closing timestamp, times shifted by
   * the window's start and kept inside the window; text after the last timestamp (a window cut off
   * by the token limit) becomes a segment up to the window's end.
   */
  List<Transcript.Segment> segments(List<Long> generated, long windowStartMs, long windowEndMs) {
    List<Transcript.Segment> segments = new ArrayList<>();
    List<Long> text = new ArrayList<>();
    long open = -1;
    for (long token : generated) {
      if (token == tokens.endOfText()) {
        break;
      }
      if (tokens.isTimestamp(token)) {
        if (open < 0 || text.isEmpty()) {
          open = token;
          continue;
        }
        add(segments, text, tokens.millis(open), tokens.millis(token), windowStartMs, windowEndMs);
        text.clear();
        open = -1;
      } else {
        text.add(token);
      }
    }
    if (!text.isEmpty()) {
      add(
          segments,
          text,
          open < 0 ? 0 : tokens.millis(open),
          windowEndMs - windowStartMs,
          windowStartMs,
          windowEndMs);
    }
    return segments;
  }

  private void add(
      List<Transcript.Segment> segments,
      List<Long> text,
      long fromMs,
      long toMs,
      long windowStartMs,
      long windowEndMs) {
    String words = tokenizer.decode(text.stream().mapToLong(Long::longValue).toArray()).strip();
    if (words.isEmpty()) {
      return;
    }
    long start = Math.min(windowStartMs + fromMs, windowEndMs);
    long end = Math.max(start, Math.min(windowStartMs + toMs, windowEndMs));
    segments.add(new Transcript.Segment(start, end, words, List.of()));
  }

  private static long argmax(float[] logits) {
    int best = 0;
    for (int i = 1; i < logits.length; i++) {
      if (logits[i] > logits[best]) {
        best = i;
      }
    }
    return best;
  }

  /** 16-bit PCM → [-1, 1), as Whisper's loaders scale it. */
  static float[] floats(Pcm16k audio) {
    ShortBuffer pcm =
        ByteBuffer.wrap(audio.samples()).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
    float[] samples = new float[pcm.remaining()];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = pcm.get(i) / 32768f;
    }
    return samples;
  }

  @Override
  public void close() {
    Sessions.close(decoder, encoder);
    tokenizer.close();
  }
}
