package multimodal.devkit.onnx;

import static multimodal.devkit.onnx.OnnxModelWriter.FLOAT;
import static multimodal.devkit.onnx.OnnxModelWriter.INT64;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import multimodal.devkit.onnx.OnnxModelWriter.Attribute;

/**
 * A tiny speech recogniser in the Whisper export layout of {@code onnx-community/whisper-tiny.en}
 * (Hugging Face Optimum): {@code onnx/encoder_model.onnx} ({@code input_features [B,80,3000]} →
 * {@code last_hidden_state [B,1500,384]}) and {@code onnx/decoder_model_merged.onnx} ({@code
 * input_ids}, {@code encoder_hidden_states}, {@code past_key_values.N.decoder.key/value} and {@code
 * .encoder.key/value} for 4 layers × 6 heads × 64, {@code use_cache_branch}; {@code logits} and the
 * matching {@code present.*}), with a tokenizer whose special tokens and timestamp tokens are laid
 * out as Whisper's: text first, then {@code <|endoftext|>}, {@code <|startoftranscript|>}, {@code
 * <|en|>}, {@code <|transcribe|>}, {@code <|notimestamps|>}, and the 1501 timestamps {@code
 * <|0.00|>} … {@code <|30.00|>} last.
 *
 * <p>What it "hears": a 30 s window is cut into {@link #SLOTS} slots of {@link #SLOT_SECONDS} s. A
 * slot is loud when any of its log-mel values exceeds 0 (a tone or speech at a normal level;
 * silence and the floor Whisper's normalisation puts under a window's peak stay below). For each
 * loud slot k, in order, the decoder emits a segment {@code <|start|> WORDS[k] <|5k+4.00|>} that
 * starts where the previous segment's slot ended (at 0 s for the first, as Whisper's first
 * timestamp must be early), then {@code <|endoftext|>}: so sound in slots 1 and 3 gives "bravo" 0–9
 * s and "delta" 10–19 s. A start (a multiple of 5 s) and an end (5k + 4 s) are never the same
 * token, so the token alone says where the transcript is.
 *
 * <ul>
 *   <li>encoder: the maximum over the mel bins of each frame, max-pooled by 2 (Whisper's encoder
 *       halves the frames too) into dim 0 of the 384-wide states;
 *   <li>decoder: the logits at a position depend only on the token there and on which slots are
 *       loud: the token says where the transcript is (after the prompt, after a slot's start
 *       timestamp, after its word, after its end timestamp), and the next loud slot after that
 *       wins. So the KV cache and recomputing the whole sequence give the same tokens;
 *   <li>{@code present.N.decoder.*} = the past and zero rows for the new tokens (the cache grows by
 *       one per step like the real one); {@code present.N.encoder.*} = zeros as long as the encoder
 *       states, in both branches; {@code use_cache_branch} is consumed with weight 0.
 * </ul>
 *
 * Deterministic: the same bytes every time.
 */
public final class WhisperFixture {
  public static final String VERSION = "fixture-whisper-1";
  public static final String DIRECTORY = "whisper-fixture";
  public static final int MELS = 80;
  public static final int FRAMES = 3000;
  public static final int ENCODER_LENGTH = 1500;
  public static final int HIDDEN = 384;
  public static final int LAYERS = 4;
  public static final int HEADS = 6;
  public static final int HEAD_DIM = 64;
  public static final int SLOTS = 6;
  public static final int SLOT_SECONDS = 5;

  /** Where in its slot a segment ends. */
  public static final int SEGMENT_SECONDS = 4;

  public static final List<String> WORDS =
      List.of("alpha", "bravo", "charlie", "delta", "echo", "foxtrot");
  public static final List<String> SPECIALS =
      List.of(
          "<|endoftext|>", "<|startoftranscript|>", "<|en|>", "<|transcribe|>", "<|notimestamps|>");
  public static final int TIMESTAMPS = 1501;

  private static final int FRAMES_PER_SLOT = ENCODER_LENGTH / SLOTS;
  private static final int STEPS_PER_SECOND = 50; // timestamps are 0.02 s apart
  private static final float HIGH = 10f;
  private static final float LOUD = 100f;
  private static final float END = 50f;
  private static final float BLOCKED = -1000f;

  /** Token ids: id = index. */
  public static List<String> vocabulary() {
    List<String> vocab = new ArrayList<>(WORDS);
    vocab.add("[UNK]");
    vocab.addAll(SPECIALS);
    for (int i = 0; i < TIMESTAMPS; i++) {
      vocab.add(String.format(Locale.ROOT, "<|%.2f|>", i / (double) STEPS_PER_SECOND));
    }
    return vocab;
  }

  static int id(String token) {
    return vocabulary().indexOf(token);
  }

  static int timestampBegin() {
    return id("<|notimestamps|>") + 1;
  }

  /** Writes (or refreshes) {@code <outDir>/whisper-fixture/} and returns that directory. */
  public static Path write(Path outDir) {
    Path dir = outDir.resolve(DIRECTORY);
    FixtureModels.writeIfChanged(dir, new WhisperFixture().files());
    return dir;
  }

  /** The files of the model directory, by relative path. */
  public Map<String, byte[]> files() {
    List<String> vocab = vocabulary();
    List<String> specials = new ArrayList<>(SPECIALS);
    specials.addAll(vocab.subList(timestampBegin(), vocab.size()));
    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("onnx/encoder_model.onnx", encoder());
    files.put("onnx/decoder_model_merged.onnx", decoder());
    files.put("tokenizer.json", FixtureJson.wordLevelTokenizer(vocab, specials, "[UNK]", null));
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("model_type", "whisper");
    config.put("model_version", VERSION);
    config.put("fixture", true);
    config.put(
        "description",
        "demo fixture: names each 5 s slot of a 30 s window that holds sound, with its times");
    config.put("d_model", HIDDEN);
    config.put("decoder_layers", LAYERS);
    config.put("decoder_attention_heads", HEADS);
    config.put("num_mel_bins", MELS);
    config.put("vocab_size", vocab.size());
    config.put("max_source_positions", ENCODER_LENGTH);
    files.put("config.json", FixtureJson.write(config));
    Map<String, Object> generation = new LinkedHashMap<>();
    generation.put("decoder_start_token_id", id("<|startoftranscript|>"));
    generation.put("eos_token_id", id("<|endoftext|>"));
    generation.put("no_timestamps_token_id", id("<|notimestamps|>"));
    generation.put("is_multilingual", false);
    generation.put("max_length", 448);
    files.put("generation_config.json", FixtureJson.write(generation));
    Map<String, Object> preprocessor = new LinkedHashMap<>();
    preprocessor.put("feature_extractor_type", "WhisperFeatureExtractor");
    preprocessor.put("feature_size", MELS);
    preprocessor.put("sampling_rate", 16000);
    preprocessor.put("n_fft", 400);
    preprocessor.put("hop_length", 160);
    preprocessor.put("chunk_length", 30);
    preprocessor.put("n_samples", 480000);
    preprocessor.put("nb_max_frames", FRAMES);
    files.put("preprocessor_config.json", FixtureJson.write(preprocessor));
    return files;
  }

  byte[] encoder() {
    float[] toHidden = new float[HIDDEN];
    toHidden[0] = 1;
    return new OnnxModelWriter("whisper_encoder_fixture")
        .input("input_features", FLOAT, "batch_size", MELS, FRAMES)
        .output("last_hidden_state", FLOAT, "batch_size", ENCODER_LENGTH, HIDDEN)
        .floatInitializer("to_hidden", new long[] {1, HIDDEN}, toHidden)
        .node(
            "ReduceMax",
            List.of("input_features"),
            List.of("frame_peak"),
            Attribute.ints("axes", 1),
            Attribute.of("keepdims", 1L)) // [B,1,3000]
        .node(
            "MaxPool",
            List.of("frame_peak"),
            List.of("pooled"),
            Attribute.ints("kernel_shape", 2),
            Attribute.ints("strides", 2)) // [B,1,1500]
        .node("Transpose", List.of("pooled"), List.of("columns"), Attribute.ints("perm", 0, 2, 1))
        .node("MatMul", List.of("columns", "to_hidden"), List.of("last_hidden_state"))
        .toByteArray();
  }

  byte[] decoder() {
    List<String> vocab = vocabulary();
    int v = vocab.size();
    OnnxModelWriter model =
        new OnnxModelWriter("whisper_merged_decoder_fixture")
            .input("input_ids", INT64, "batch_size", "decoder_sequence_length")
            .input("encoder_hidden_states", FLOAT, "batch_size", "encoder_sequence_length", HIDDEN);
    List<String> pasts = new ArrayList<>();
    for (int layer = 0; layer < LAYERS; layer++) {
      for (String part : List.of("decoder", "encoder")) {
        for (String kind : List.of("key", "value")) {
          String name = layer + "." + part + "." + kind;
          pasts.add(name);
          model.input(
              "past_key_values." + name,
              FLOAT,
              "batch_size",
              HEADS,
              "decoder".equals(part) ? "past_decoder_sequence_length" : "encoder_sequence_length",
              HEAD_DIM);
        }
      }
    }
    model.input("use_cache_branch", 9 /* BOOL */, 1);
    model.output("logits", FLOAT, "batch_size", "decoder_sequence_length", v);
    for (String name : pasts) {
      model.output(
          "present." + name,
          FLOAT,
          "batch_size",
          HEADS,
          name.contains(".decoder.")
              ? "past_decoder_sequence_length + decoder_sequence_length"
              : "encoder_sequence_length",
          HEAD_DIM);
    }
    int states = 3 * SLOTS + 3;
    float[] base = new float[states * v];
    float[] loud = new float[states * SLOTS * v];
    Arrays.fill(base, BLOCKED);
    int end = id("<|endoftext|>");
    for (int after = -1; after < SLOTS; after++) {
      // After the prompt (after = -1) or slot `after`'s end: a segment starts at the next slot's
      // start when any later slot is loud, else the transcript ends.
      int startState = after + 1;
      base[startState * v + end] = END;
      base[startState * v + start(after)] = 0;
      // After that start: the word of the earliest loud slot after `after`, or the end when none
      // is (Whisper's first token must be a timestamp, so silence gives <|0.00|><|endoftext|>).
      int wordState = SLOTS + 2 + after;
      base[wordState * v + end] = END;
      for (int slot = after + 1; slot < SLOTS; slot++) {
        loud[(startState * SLOTS + slot) * v + start(after)] = LOUD;
        base[wordState * v + vocab.indexOf(WORDS.get(slot))] = -slot;
        loud[(wordState * SLOTS + slot) * v + vocab.indexOf(WORDS.get(slot))] = LOUD;
      }
    }
    for (int slot = 0; slot < SLOTS; slot++) {
      base[endState(slot) * v + end(slot)] = HIGH;
    }
    int done = 3 * SLOTS + 2;
    base[done * v + end] = HIGH;
    long[] stateOf = new long[v];
    Arrays.fill(stateOf, done);
    for (String prompt : SPECIALS.subList(1, SPECIALS.size())) {
      stateOf[vocab.indexOf(prompt)] = 0;
    }
    for (int after = -1; after < SLOTS; after++) {
      stateOf[start(after)] = SLOTS + 2 + after;
    }
    for (int slot = 0; slot < SLOTS; slot++) {
      stateOf[vocab.indexOf(WORDS.get(slot))] = endState(slot);
      stateOf[end(slot)] = slot + 1;
    }
    model
        .longInitializer("zero_i", new long[] {}, new long[] {0})
        .longInitializer("one_i", new long[] {}, new long[] {1})
        .longInitializer("axis_0", new long[] {1}, new long[] {0})
        .longInitializer("axis_2", new long[] {1}, new long[] {2})
        .longInitializer("axes_1_2", new long[] {2}, new long[] {1, 2})
        .longInitializer("slot_shape", new long[] {3}, new long[] {0, SLOTS, FRAMES_PER_SLOT})
        .longInitializer("heads", new long[] {1}, new long[] {HEADS})
        .longInitializer("head_dim", new long[] {1}, new long[] {HEAD_DIM})
        .floatInitializer("zero_f", new long[] {}, new float[] {0})
        .longInitializer("state_of_token", new long[] {v}, stateOf)
        .floatInitializer("base_table", new long[] {states, v}, base)
        .floatInitializer("loud_table", new long[] {states, SLOTS, v}, loud)
        // Which slots are loud: L [B,1,1,SLOTS]
        .node(
            "Gather",
            List.of("encoder_hidden_states", "zero_i"),
            List.of("peaks"),
            Attribute.of("axis", 2L)) // [B,1500]
        .node("Reshape", List.of("peaks", "slot_shape"), List.of("slot_peaks"))
        .node(
            "ReduceMax",
            List.of("slot_peaks"),
            List.of("slot_peak"),
            Attribute.ints("axes", 2),
            Attribute.of("keepdims", 0L)) // [B,SLOTS]
        .node("Greater", List.of("slot_peak", "zero_f"), List.of("slot_loud"))
        .node("Cast", List.of("slot_loud"), List.of("loud_f"), Attribute.of("to", (long) FLOAT))
        .node("Unsqueeze", List.of("loud_f", "axes_1_2"), List.of("loud_4d"))
        // Scores: base[state] + L · loud[state]
        .node(
            "Gather",
            List.of("state_of_token", "input_ids"),
            List.of("state"),
            Attribute.of("axis", 0L))
        .node("Gather", List.of("base_table", "state"), List.of("base"), Attribute.of("axis", 0L))
        .node(
            "Gather", List.of("loud_table", "state"), List.of("per_slot"), Attribute.of("axis", 0L))
        .node("MatMul", List.of("loud_4d", "per_slot"), List.of("loud_scores_4d")) // [B,T,1,V]
        .node("Squeeze", List.of("loud_scores_4d", "axis_2"), List.of("loud_scores"))
        .node("Add", List.of("base", "loud_scores"), List.of("scores"))
        .node(
            "Cast",
            List.of("use_cache_branch"),
            List.of("flag_f"),
            Attribute.of("to", (long) FLOAT))
        .node("Mul", List.of("flag_f", "zero_f"), List.of("flag_zero"))
        .node("Add", List.of("scores", "flag_zero"), List.of("logits"))
        // KV cache: the self-attention part grows by T zero rows per step; the cross-attention part
        // is as long as the encoder states.
        .node("Shape", List.of("input_ids"), List.of("ids_shape"))
        .node("Gather", List.of("ids_shape", "zero_i"), List.of("batch"))
        .node("Gather", List.of("ids_shape", "one_i"), List.of("seq"))
        .node("Shape", List.of("encoder_hidden_states"), List.of("enc_shape"))
        .node("Gather", List.of("enc_shape", "one_i"), List.of("enc_len"));
    TransformerLayers.zeroKvRows(model);
    for (String name : pasts) {
      if (name.contains(".decoder.")) {
        model.node(
            "Concat",
            List.of("past_key_values." + name, "new_kv"),
            List.of("present." + name),
            Attribute.of("axis", 2L));
      } else {
        model.node("Identity", List.of("cross_kv"), List.of("present." + name));
      }
    }
    return model.toByteArray();
  }

  /**
   * The timestamp token where a segment starts after slot {@code after}'s segment (or the prompt,
   * {@code after} = -1): the next slot's start, 5(after + 1) s.
   */
  public static int start(int after) {
    return timestampBegin() + (after + 1) * SLOT_SECONDS * STEPS_PER_SECOND;
  }

  /** The timestamp token where slot k's segment ends: 5k + 4 s. */
  public static int end(int slot) {
    return timestampBegin() + (slot * SLOT_SECONDS + SEGMENT_SECONDS) * STEPS_PER_SECOND;
  }

  private static int endState(int slot) {
    return 2 * SLOTS + 2 + slot;
  }
}
