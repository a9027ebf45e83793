package multimodal.generator.inference.caption;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import multimodal.generator.inference.generation.DecodingOptions;
import multimodal.generator.inference.generation.GenerationControl;
import multimodal.generator.inference.generation.KvCache;
import multimodal.generator.inference.image.ChannelValues;
import multimodal.generator.inference.onnx.MergedDecoder;
import multimodal.generator.inference.onnx.ModelFiles;
import multimodal.generator.inference.onnx.OrtTensors;
import multimodal.generator.inference.onnx.Sessions;
import multimodal.generator.inference.text.TextTokenizer;
import multimodal.media.preprocess.FixedSizePreprocessor;
import multimodal.media.preprocess.PixelNormaliser;
import multimodal.media.preprocess.ResampleFilter;

/**
 * Captioning with the Vision2Seq layout of {@code Xenova/vit-gpt2-image-captioning} (docs/models.md
 * §3): {@code onnx/encoder_model.onnx} ({@code pixel_values} → {@code last_hidden_state}) and
 * {@code onnx/decoder_model_merged.onnx}, GPT-2 tokenizer from {@code tokenizer.json}, token ids
 * from {@code generation_config.json}/{@code config.json}. Preprocessing: resize straight to the
 * configured size (bilinear), mean/std 0.5.
 *
 * <p>The export's cache holds self-attention only; by default the decoder is split at load so that
 * the cross-attention keys/values are computed once per batch, not on every step ({@link
 * MergedDecoder}).
 */
public final class VitGpt2Captioner extends BatchCaptioner {
  public static final String LAYOUT = "vit-gpt2";
  static final String PIXEL_VALUES = "pixel_values";
  static final String LAST_HIDDEN_STATE = "last_hidden_state";
  static final String ENCODER_HIDDEN_STATES = "encoder_hidden_states";

  private final OrtSession encoder;
  private final MergedDecoder decoder;
  private final long decoderStart;

  private VitGpt2Captioner(
      OrtEnvironment env,
      OrtSession encoder,
      MergedDecoder decoder,
      TextTokenizer tokenizer,
      FixedSizePreprocessor preprocessor,
      long decoderStart,
      Set<Long> stopTokens,
      int defaultMaxTokens,
      String version) {
    super(env, tokenizer, preprocessor, stopTokens, defaultMaxTokens, version);
    this.encoder = encoder;
    this.decoder = decoder;
    this.decoderStart = decoderStart;
  }

  /**
   * Loads with the cross-attention cached ({@code generator.decoder.cache-cross-attention}
   * default).
   */
  public static VitGpt2Captioner load(
      ModelFiles files, OrtEnvironment env, OrtSession.SessionOptions options)
      throws OrtException, IOException {
    return load(files, env, options, true);
  }

  /**
   * @param options must stay open while the model is used (the recompute mode creates the original
   *     decoder with them on first use)
   * @param cacheCrossAttention split the decoder so the cross-attention is computed once per batch
   */
  public static VitGpt2Captioner load(
      ModelFiles files,
      OrtEnvironment env,
      OrtSession.SessionOptions options,
      boolean cacheCrossAttention)
      throws OrtException, IOException {
    OrtSession encoder = env.createSession(files.onnx("encoder_model").toString(), options);
    MergedDecoder decoder = null;
    TextTokenizer tokenizer = null;
    try {
      decoder =
          MergedDecoder.load(
              env,
              files.onnx("decoder_model_merged"),
              options,
              ENCODER_HIDDEN_STATES,
              cacheCrossAttention);
      OrtTensors.requireInputs(encoder, "encoder_model.onnx", List.of(PIXEL_VALUES));
      OrtTensors.requireInputs(
          decoder.session(true), "decoder_model_merged.onnx", List.of("input_ids"));
      if (KvCache.pastNames(decoder.session(true)).isEmpty()) {
        throw new IllegalStateException("decoder_model_merged.onnx has no past_key_values inputs");
      }
      tokenizer = TextTokenizer.load(files.tokenizer());
      Set<Long> stops = files.ids("eos_token_id");
      JsonNode start = files.setting("decoder_start_token_id");
      long decoderStart =
          start.isNumber()
              ? start.asLong()
              : files.ids("bos_token_id").stream()
                  .findFirst()
                  .orElseThrow(
                      () ->
                          new IllegalStateException(
                              "no decoder_start_token_id/bos_token_id in config"));
      int maxLength = files.setting("max_length").asInt(20);
      return new VitGpt2Captioner(
          env,
          encoder,
          decoder,
          tokenizer,
          preprocessor(files.preprocessor()),
          decoderStart,
          stops,
          Math.max(1, maxLength - 1),
          files.version());
    } catch (OrtException | IOException | RuntimeException e) {
      Sessions.closeQuietly(tokenizer, decoder, encoder);
      throw e;
    }
  }

  /** {@code ViTImageProcessor} settings with the docs/models.md §3.3 defaults. */
  static FixedSizePreprocessor preprocessor(JsonNode config) {
    JsonNode size = config.path("size");
    int height = size.isInt() ? size.asInt() : size.path("height").asInt(224);
    int width = size.isInt() ? size.asInt() : size.path("width").asInt(224);
    return new FixedSizePreprocessor(
        width,
        height,
        ResampleFilter.fromPillow(config.path("resample").asInt(2)),
        PixelNormaliser.unitScale(
            ChannelValues.read(config.path("image_mean"), 0.5f),
            ChannelValues.read(config.path("image_std"), 0.5f)));
  }

  /** How the decoder runs (cross-attention cached or not, and why), for the load log. */
  public String decoderSetup() {
    return decoder.description();
  }

  /** True when the decoder was split: cross-attention keys/values computed once per batch. */
  public boolean crossAttentionCached() {
    return decoder.split();
  }

  /** The decoder serving cached generations (tests: which inputs the split added). */
  OrtSession cachedDecoder() {
    return decoder.session(true);
  }

  @Override
  public String layout() {
    return LAYOUT;
  }

  @Override
  public Set<CaptionTaskKind> tasks() {
    return Set.of(CaptionTaskKind.CAPTION);
  }

  @Override
  protected List<List<Long>> generate(OnnxTensor pixelValues, Batch batch) throws OrtException {
    DecodingOptions options = batch.options();
    GenerationControl control = batch.control();
    try (OrtSession.Result encoded =
        encoder.run(
            Map.of(PIXEL_VALUES, pixelValues), Set.of(LAST_HIDDEN_STATE), control.runOptions())) {
      OnnxTensor last = (OnnxTensor) encoded.get(0);
      OnnxTensor hidden = OrtTensors.repeatRows(env, last, options.numBeams());
      try (MergedDecoder.FixedInputs fixed =
              decoder.fixedInputs(hidden, options.useCache(), control);
          EncoderDecoderState state =
              new EncoderDecoderState(
                  env,
                  decoder.session(options.useCache()),
                  (int) hidden.getInfo().getShape()[0],
                  EncoderDecoderState.TokenInput.ids(),
                  fixed.tensors(),
                  name -> false,
                  options.useCache())) {
        return batch.generate(state, new long[] {decoderStart});
      } finally {
        if (hidden != last) {
          hidden.close();
        }
      }
    }
  }

  @Override
  protected String text(long[] ids) {
    return tokenizer.decode(ids).trim();
  }

  @Override
  public void close() {
    decoder.close();
    Sessions.close(encoder);
    tokenizer.close();
  }
}
