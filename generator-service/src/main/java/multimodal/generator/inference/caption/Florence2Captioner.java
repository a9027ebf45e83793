package multimodal.generator.inference.caption;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import multimodal.generator.inference.generation.GenerationControl;
import multimodal.generator.inference.image.ChannelValues;
import multimodal.generator.inference.onnx.ModelFiles;
import multimodal.generator.inference.onnx.OrtTensors;
import multimodal.generator.inference.onnx.Sessions;
import multimodal.generator.inference.text.TextTokenizer;
import multimodal.media.preprocess.FixedSizePreprocessor;
import multimodal.media.preprocess.PixelNormaliser;
import multimodal.media.preprocess.ResampleFilter;

/**
 * Captioning and OCR with the Florence-2 layout of {@code onnx-community/Florence-2-base(-ft)}
 * (docs/models.md §4): {@code vision_encoder}, {@code embed_tokens}, {@code encoder_model}, {@code
 * decoder_model_merged} with {@code .decoder.}/{@code .encoder.} pasts. The task tag becomes its
 * natural-language prompt (§4.3), image features go first in the encoder input (§4.4), the decoder
 * starts from {@code decoder_start_token_id} with the forced {@code <s>} (§4.5) and keeps the
 * cross-attention pasts of its first step.
 */
public final class Florence2Captioner extends BatchCaptioner {
  public static final String LAYOUT = "florence2";

  /** §4.3: what the processor feeds for each task tag. */
  static final Map<CaptionTaskKind, String> PROMPTS = prompts();

  private final OrtSession vision;
  private final OrtSession embed;
  private final OrtSession encoder;
  private final OrtSession decoder;
  private final long[] decoderPrompt;

  private Florence2Captioner(
      OrtEnvironment env,
      OrtSession vision,
      OrtSession embed,
      OrtSession encoder,
      OrtSession decoder,
      TextTokenizer tokenizer,
      FixedSizePreprocessor preprocessor,
      long[] decoderPrompt,
      Set<Long> stops,
      int defaultMaxTokens,
      String version) {
    super(env, tokenizer, preprocessor, stops, defaultMaxTokens, version);
    this.vision = vision;
    this.embed = embed;
    this.encoder = encoder;
    this.decoder = decoder;
    this.decoderPrompt = decoderPrompt;
  }

  private static Map<CaptionTaskKind, String> prompts() {
    Map<CaptionTaskKind, String> prompts = new EnumMap<>(CaptionTaskKind.class);
    prompts.put(CaptionTaskKind.CAPTION, "What does the image describe?");
    prompts.put(CaptionTaskKind.DETAILED_CAPTION, "Describe in detail what is shown in the image.");
    prompts.put(
        CaptionTaskKind.MORE_DETAILED_CAPTION,
        "Describe with a paragraph what is shown in the image.");
    prompts.put(CaptionTaskKind.OCR, "What is the text in the image?");
    return Collections.unmodifiableMap(prompts);
  }

  public static Florence2Captioner load(
      ModelFiles files, OrtEnvironment env, OrtSession.SessionOptions options)
      throws OrtException, IOException {
    OrtSession vision = null;
    OrtSession embed = null;
    OrtSession encoder = null;
    OrtSession decoder = null;
    TextTokenizer tokenizer = null;
    try {
      vision = env.createSession(files.onnx("vision_encoder").toString(), options);
      embed = env.createSession(files.onnx("embed_tokens").toString(), options);
      encoder = env.createSession(files.onnx("encoder_model").toString(), options);
      decoder = env.createSession(files.onnx("decoder_model_merged").toString(), options);
      OrtTensors.requireInputs(vision, "vision_encoder.onnx", List.of("pixel_values"));
      OrtTensors.requireInputs(
          encoder, "encoder_model.onnx", List.of("inputs_embeds", "attention_mask"));
      OrtTensors.requireInputs(
          decoder,
          "decoder_model_merged.onnx",
          List.of("inputs_embeds", "encoder_hidden_states", "encoder_attention_mask"));
      tokenizer = TextTokenizer.load(files.tokenizer());
      long start = files.setting("decoder_start_token_id").asLong(2);
      JsonNode forced = files.setting("forced_bos_token_id");
      long[] prompt = forced.isNumber() ? new long[] {start, forced.asLong()} : new long[] {start};
      Set<Long> stops = files.ids("eos_token_id");
      if (stops.isEmpty()) {
        stops = Set.of(2L);
      }
      JsonNode config = files.preprocessor();
      JsonNode size = config.path("size");
      FixedSizePreprocessor preprocessor =
          new FixedSizePreprocessor(
              size.path("width").asInt(768),
              size.path("height").asInt(768),
              ResampleFilter.fromPillow(config.path("resample").asInt(3)),
              PixelNormaliser.unitScale(
                  ChannelValues.read(
                      config.path("image_mean"), new float[] {0.485f, 0.456f, 0.406f}),
                  ChannelValues.read(
                      config.path("image_std"), new float[] {0.229f, 0.224f, 0.225f})));
      return new Florence2Captioner(
          env,
          vision,
          embed,
          encoder,
          decoder,
          tokenizer,
          preprocessor,
          prompt,
          stops,
          files.setting("max_length").asInt(64),
          files.version());
    } catch (OrtException | IOException | RuntimeException e) {
      Sessions.closeQuietly(tokenizer, vision, embed, encoder, decoder);
      throw e;
    }
  }

  @Override
  public String layout() {
    return LAYOUT;
  }

  @Override
  public Set<CaptionTaskKind> tasks() {
    return PROMPTS.keySet();
  }

  @Override
  protected List<List<Long>> generate(OnnxTensor pixelValues, Batch batch) throws OrtException {
    GenerationControl control = batch.control();
    int n = batch.images();
    long[] promptIds = tokenizer.encodeWithSpecials(PROMPTS.get(batch.task()));
    int beams = batch.options().numBeams();
    try (OnnxTensor ids = OrtTensors.longTensor(env, new long[][] {promptIds});
        OrtSession.Result features =
            vision.run(Map.of("pixel_values", pixelValues), control.runOptions());
        OrtSession.Result text = embed.run(Map.of("input_ids", ids), control.runOptions());
        OnnxTensor merged = concat((OnnxTensor) features.get(0), (OnnxTensor) text.get(0));
        OnnxTensor mask = ones(n, (int) merged.getInfo().getShape()[1]);
        OrtSession.Result encoded =
            encoder.run(
                Map.of("inputs_embeds", merged, "attention_mask", mask), control.runOptions());
        OnnxTensor decoderMask = ones(n * beams, (int) merged.getInfo().getShape()[1])) {
      OnnxTensor last = (OnnxTensor) encoded.get(0);
      OnnxTensor hidden = OrtTensors.repeatRows(env, last, beams);
      try (EncoderDecoderState state =
          new EncoderDecoderState(
              env,
              decoder,
              n * beams,
              EncoderDecoderState.TokenInput.embeddings(embed),
              Map.of("encoder_hidden_states", hidden, "encoder_attention_mask", decoderMask),
              name -> name.contains(".encoder."),
              batch.options().useCache())) {
        return batch.generate(state, decoderPrompt);
      } finally {
        if (hidden != last) {
          hidden.close();
        }
      }
    }
  }

  @Override
  protected String text(long[] ids) {
    return tokenizer.decode(ids).strip();
  }

  /** §4.4: image features first, then the prompt's embeddings, for every image. */
  private OnnxTensor concat(OnnxTensor image, OnnxTensor prompt) throws OrtException {
    long[] imageShape = image.getInfo().getShape();
    long[] promptShape = prompt.getInfo().getShape();
    int n = (int) imageShape[0];
    int hidden = (int) imageShape[2];
    int imageLength = (int) imageShape[1];
    int promptLength = (int) promptShape[1];
    float[] imageRows = new float[imageLength * hidden];
    float[] promptRows = new float[promptLength * hidden];
    prompt.getFloatBuffer().get(promptRows);
    FloatBuffer source = image.getFloatBuffer();
    FloatBuffer out = OrtTensors.floats(n * (imageLength + promptLength) * hidden);
    for (int i = 0; i < n; i++) {
      source.get(imageRows);
      out.put(imageRows).put(promptRows);
    }
    out.rewind();
    return OnnxTensor.createTensor(env, out, new long[] {n, imageLength + promptLength, hidden});
  }

  private OnnxTensor ones(int rows, int columns) throws OrtException {
    long[][] mask = new long[rows][columns];
    for (long[] row : mask) {
      java.util.Arrays.fill(row, 1L);
    }
    return OrtTensors.longTensor(env, mask);
  }

  @Override
  public void close() {
    Sessions.close(decoder, encoder, embed, vision);
    tokenizer.close();
  }
}
