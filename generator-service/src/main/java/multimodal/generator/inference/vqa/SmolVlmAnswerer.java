package multimodal.generator.inference.vqa;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import multimodal.generator.InvalidInputException;
import multimodal.generator.inference.generation.DecodingOptions;
import multimodal.generator.inference.generation.Generated;
import multimodal.generator.inference.generation.GenerationControl;
import multimodal.generator.inference.generation.GenerationEngine;
import multimodal.generator.inference.onnx.ModelFiles;
import multimodal.generator.inference.onnx.OrtTensors;
import multimodal.generator.inference.onnx.Sessions;
import multimodal.generator.inference.text.TextTokenizer;

/**
 * Visual question answering with the SmolVLM / Idefics3 layout of transformers.js exports
 * (docs/models.md §5): {@code onnx/vision_encoder.onnx}, {@code onnx/embed_tokens.onnx}, {@code
 * onnx/decoder_model_merged.onnx}; chat template, image splitting, {@code <image>} token expansion
 * and the masked scatter of image features into the prompt embeddings. A question may interleave
 * several images with text ({@link QuestionPart}): each image is split and expanded where it stands
 * in the turn, and the tiles of all of them go to the vision encoder as one sequence of images.
 */
public final class SmolVlmAnswerer implements VqaModel {
  public static final String LAYOUT = "smolvlm";

  private final OrtEnvironment env;
  private final OrtSession vision;
  private final OrtSession embedTokens;
  private final OrtSession decoder;
  private final TextTokenizer tokenizer;
  private final SmolVlmImageProcessor processor;
  private final long imageTokenId;
  private final int imageSeqLen;
  private final Set<Long> stops;
  private final String version;

  private SmolVlmAnswerer(
      OrtEnvironment env,
      OrtSession vision,
      OrtSession embedTokens,
      OrtSession decoder,
      TextTokenizer tokenizer,
      SmolVlmImageProcessor processor,
      long imageTokenId,
      int imageSeqLen,
      Set<Long> stops,
      String version) {
    this.env = env;
    this.vision = vision;
    this.embedTokens = embedTokens;
    this.decoder = decoder;
    this.tokenizer = tokenizer;
    this.processor = processor;
    this.imageTokenId = imageTokenId;
    this.imageSeqLen = imageSeqLen;
    this.stops = stops;
    this.version = version;
  }

  public static SmolVlmAnswerer load(
      ModelFiles files, OrtEnvironment env, OrtSession.SessionOptions options)
      throws OrtException, IOException {
    OrtSession vision = null;
    OrtSession embed = null;
    OrtSession decoder = null;
    TextTokenizer tokenizer = null;
    try {
      vision = env.createSession(files.onnx("vision_encoder").toString(), options);
      embed = env.createSession(files.onnx("embed_tokens").toString(), options);
      decoder = env.createSession(files.onnx("decoder_model_merged").toString(), options);
      OrtTensors.requireInputs(vision, "vision_encoder.onnx", List.of("pixel_values"));
      OrtTensors.requireInputs(embed, "embed_tokens.onnx", List.of("input_ids"));
      OrtTensors.requireInputs(
          decoder,
          "decoder_model_merged.onnx",
          List.of(
              SmolVlmDecoderState.INPUTS_EMBEDS,
              SmolVlmDecoderState.ATTENTION_MASK,
              SmolVlmDecoderState.POSITION_IDS));
      tokenizer = TextTokenizer.load(files.tokenizer());
      long imageToken =
          files.config().has("image_token_id")
              ? files.config().get("image_token_id").asLong()
              : tokenizer
                  .id("<image>")
                  .orElseThrow(() -> new IllegalStateException("no <image> token"));
      Set<Long> stops = new LinkedHashSet<>(files.ids("eos_token_id"));
      tokenizer.id("<end_of_utterance>").ifPresent(stops::add);
      int seqLen = files.json("processor_config.json").path("image_seq_len").asInt(64);
      return new SmolVlmAnswerer(
          env,
          vision,
          embed,
          decoder,
          tokenizer,
          new SmolVlmImageProcessor(files.preprocessor()),
          imageToken,
          seqLen,
          stops,
          files.version());
    } catch (OrtException | IOException | RuntimeException e) {
      Sessions.closeQuietly(tokenizer, vision, embed, decoder);
      throw e;
    }
  }

  @Override
  public String layout() {
    return LAYOUT;
  }

  @Override
  public String version() {
    return version;
  }

  @Override
  public DecodingOptions defaults() {
    return DecodingOptions.greedy(64, stops);
  }

  @Override
  public String decode(long[] ids) {
    return tokenizer.decode(ids);
  }

  @Override
  public Generated ask(
      List<QuestionPart> parts,
      DecodingOptions options,
      GenerationControl control,
      GenerationEngine.TokenListener listener) {
    List<BufferedImage> images = QuestionPart.images(parts);
    if (images.isEmpty()) {
      throw new InvalidInputException("parts", "a question needs at least one image");
    }
    if (parts.stream()
        .noneMatch(part -> part instanceof QuestionPart.Text text && !text.text().isBlank())) {
      throw new InvalidInputException("question", "must not be empty");
    }
    long start = System.nanoTime();
    // Every image's tiles go into one pixel_values batch, in order; each image's tokens go where
    // its part stands, so the masked scatter puts each image's features in its place.
    List<float[]> tiles = new ArrayList<>();
    List<String> imageTokens = new ArrayList<>(images.size());
    for (BufferedImage image : images) {
      SmolVlmImageProcessor.Tiles split = processor.process(image);
      tiles.addAll(split.tiles());
      imageTokens.add(SmolVlmImageProcessor.imageTokens(split.rows(), split.cols(), imageSeqLen));
    }
    int n = tiles.size();
    int tile = processor.tileSize();
    long[] ids = tokenizer.encode(SmolVlmChatTemplate.render(parts, imageTokens));
    long imageIds = Arrays.stream(ids).filter(id -> id == imageTokenId).count();
    if (imageIds != (long) n * imageSeqLen) {
      throw new IllegalStateException(
          "prompt has " + imageIds + " image tokens for " + n + " tiles");
    }
    FloatBuffer pixels = OrtTensors.floats(n * 3 * tile * tile);
    tiles.forEach(pixels::put);
    pixels.rewind();
    ByteBuffer mask = ByteBuffer.allocateDirect(n * tile * tile).order(ByteOrder.nativeOrder());
    while (mask.hasRemaining()) {
      mask.put((byte) 1);
    }
    mask.rewind();
    long preprocessed = System.nanoTime();
    control.check();

    List<List<Long>> tokens;
    try (OnnxTensor pixelTensor =
            OnnxTensor.createTensor(env, pixels, new long[] {1, n, 3, tile, tile});
        OnnxTensor maskTensor =
            OnnxTensor.createTensor(env, mask, new long[] {1, n, tile, tile}, OnnxJavaType.BOOL);
        OnnxTensor idTensor = OrtTensors.longTensor(env, new long[][] {ids});
        OrtSession.Result features =
            vision.run(visionInputs(pixelTensor, maskTensor), control.runOptions());
        OrtSession.Result embedded =
            embedTokens.run(Map.of("input_ids", idTensor), control.runOptions());
        OnnxTensor merged =
            merge(
                (OnnxTensor) embedded.get(0),
                (OnnxTensor) features.get(0),
                ids,
                options.numBeams());
        SmolVlmDecoderState state = new SmolVlmDecoderState(env, decoder, embedTokens, merged)) {
      List<long[]> prompts = List.<long[]>of(ids);
      tokens = GenerationEngine.generate(state, prompts, options, control, listener);
    } catch (OrtException e) {
      throw control.failure(e);
    }
    long done = System.nanoTime();
    return Generated.of(
        tokens.get(0), answer -> tokenizer.decode(answer).strip(), start, preprocessed, done, 1);
  }

  private Map<String, OnnxTensor> visionInputs(OnnxTensor pixels, OnnxTensor mask)
      throws OrtException {
    return vision.getInputNames().contains("pixel_attention_mask")
        ? Map.of("pixel_values", pixels, "pixel_attention_mask", mask)
        : Map.of("pixel_values", pixels);
  }

  /** Masked scatter (§5.4): image feature rows replace the {@code <image>} embeddings in order. */
  private OnnxTensor merge(OnnxTensor embeds, OnnxTensor features, long[] ids, int beams)
      throws OrtException {
    long[] shape = embeds.getInfo().getShape(); // [1, T, H]
    int hidden = (int) shape[2];
    float[] text = new float[(int) (shape[1] * hidden)];
    embeds.getFloatBuffer().get(text);
    FloatBuffer image = features.getFloatBuffer();
    float[] row = new float[hidden];
    for (int t = 0; t < ids.length; t++) {
      if (ids[t] == imageTokenId) {
        image.get(row);
        System.arraycopy(row, 0, text, t * hidden, hidden);
      }
    }
    FloatBuffer out = OrtTensors.floats(beams * text.length);
    for (int b = 0; b < beams; b++) {
      out.put(text);
    }
    out.rewind();
    return OnnxTensor.createTensor(env, out, new long[] {beams, shape[1], hidden});
  }

  @Override
  public void close() {
    Sessions.close(decoder, embedTokens, vision);
    tokenizer.close();
  }
}
