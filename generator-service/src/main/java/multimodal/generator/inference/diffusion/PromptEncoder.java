package multimodal.generator.inference.diffusion;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import multimodal.generator.inference.generation.GenerationControl;
import multimodal.generator.inference.onnx.OrtTensors;
import multimodal.generator.inference.onnx.Sessions;
import multimodal.generator.inference.text.TextTokenizer;

/**
 * CLIP text encoding of prompts: the export's {@code tokenizer.json} (BPE with {@code
 * <|startoftext|>} … {@code <|endoftext|>}), cut to the context length with the end token kept
 * last, padded with the tokenizer config's pad token to exactly that length (as diffusers does:
 * {@code padding="max_length"}), then {@code text_encoder/model.onnx} ({@code input_ids} int32 or
 * int64, read from the graph) → {@code last_hidden_state} {@code [B, 77, width]}.
 */
final class PromptEncoder implements AutoCloseable {
  static final String INPUT_IDS = "input_ids";
  static final String LAST_HIDDEN_STATE = "last_hidden_state";

  private final OrtEnvironment env;
  private final OrtSession session;
  private final TextTokenizer tokenizer;
  private final boolean int32Ids;
  private final int maxTokens;
  private final long padId;
  private final String output;

  private PromptEncoder(
      OrtEnvironment env,
      OrtSession session,
      TextTokenizer tokenizer,
      boolean int32Ids,
      int maxTokens,
      long padId,
      String output) {
    this.env = env;
    this.session = session;
    this.tokenizer = tokenizer;
    this.int32Ids = int32Ids;
    this.maxTokens = maxTokens;
    this.padId = padId;
    this.output = output;
  }

  static PromptEncoder load(
      DiffusionExport export, OrtEnvironment env, OrtSession.SessionOptions options)
      throws OrtException, IOException {
    OrtSession session = env.createSession(export.textEncoder().toString(), options);
    TextTokenizer tokenizer = null;
    try {
      OrtTensors.requireInputs(session, "text_encoder/model.onnx", List.of(INPUT_IDS));
      OnnxJavaType idType = OrtTensors.inputType(session, INPUT_IDS);
      if (idType != OnnxJavaType.INT32 && idType != OnnxJavaType.INT64) {
        throw new IllegalStateException(
            "text_encoder/model.onnx: input_ids is " + idType + " (int32 or int64 expected)");
      }
      String output = OrtTensors.outputName(session, LAST_HIDDEN_STATE);
      tokenizer = TextTokenizer.load(export.tokenizer());
      String padToken = export.padToken();
      long padId =
          tokenizer
              .id(padToken)
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "tokenizer/tokenizer.json has no pad token " + padToken));
      return new PromptEncoder(
          env, session, tokenizer, idType == OnnxJavaType.INT32, export.maxTokens(), padId, output);
    } catch (OrtException | IOException | RuntimeException e) {
      Sessions.closeQuietly(tokenizer, session);
      throw e;
    }
  }

  /** The padded ids of one prompt, exactly the context length. */
  long[] ids(String text) {
    long[] encoded = tokenizer.encodeWithSpecials(text);
    long[] ids = Arrays.copyOf(encoded, maxTokens);
    if (encoded.length > maxTokens) {
      ids[maxTokens - 1] = encoded[encoded.length - 1]; // keep the end token CLIP pools at
    } else {
      Arrays.fill(ids, encoded.length, maxTokens, padId);
    }
    return ids;
  }

  /** Hidden states of each text, one {@code [tokens × width]} block per text, in order. */
  Embeddings encode(List<String> texts, GenerationControl control) throws OrtException {
    int rows = texts.size();
    ByteBuffer bytes =
        ByteBuffer.allocateDirect(rows * maxTokens * (int32Ids ? Integer.BYTES : Long.BYTES))
            .order(ByteOrder.nativeOrder());
    IntBuffer ints = bytes.asIntBuffer();
    LongBuffer longs = bytes.asLongBuffer();
    for (String text : texts) {
      for (long id : ids(text)) {
        if (int32Ids) {
          ints.put((int) id);
        } else {
          longs.put(id);
        }
      }
    }
    long[] shape = {rows, maxTokens};
    try (OnnxTensor input =
            int32Ids
                ? OnnxTensor.createTensor(env, ints.rewind(), shape)
                : OnnxTensor.createTensor(env, longs.rewind(), shape);
        OrtSession.Result result = session.run(Map.of(INPUT_IDS, input), control.runOptions())) {
      OnnxTensor hidden = OrtTensors.output(result, output, "text encoder");
      long[] outShape = hidden.getInfo().getShape();
      if (outShape.length != 3 || outShape[0] != rows) {
        throw new IllegalStateException(
            "text encoder output " + output + " has shape " + Arrays.toString(outShape));
      }
      FloatBuffer buffer = hidden.getFloatBuffer();
      float[] values = new float[buffer.remaining()];
      buffer.get(values);
      return new Embeddings(values, rows, (int) outShape[1], (int) outShape[2]);
    }
  }

  @Override
  public void close() {
    Sessions.closeQuietly(tokenizer, session);
  }

  /** {@code rows} blocks of {@code tokens × width} hidden states. */
  record Embeddings(float[] values, int rows, int tokens, int width) {
    int rowSize() {
      return tokens * width;
    }
  }
}
