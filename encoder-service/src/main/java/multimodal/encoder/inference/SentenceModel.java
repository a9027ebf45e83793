package multimodal.encoder.inference;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import multimodal.encoder.InvalidInputException;
import multimodal.media.RgbImage;

/**
 * A sentence-embedding model (BERT family, e.g. all-MiniLM-L6-v2): WordPiece tokenizer from {@code
 * tokenizer.json}, one graph with {@code input_ids}, {@code attention_mask} and optionally {@code
 * token_type_ids} returning {@code last_hidden_state [batch, seq, dim]}; the sentence vector is the
 * attention-masked mean of the token states, L2-normalised (sentence-transformers' pooling for
 * these models). Embeds texts only.
 */
public final class SentenceModel implements EmbeddingModel {
  public static final String INPUT_IDS = "input_ids";
  public static final String ATTENTION_MASK = "attention_mask";
  public static final String TOKEN_TYPE_IDS = "token_type_ids";
  public static final String LAST_HIDDEN_STATE = "last_hidden_state";

  private final String name;
  private final String version;
  private final ModelCard card;
  private final OrtEnvironment env;
  private final OrtSession session;
  private final HuggingFaceTokenizer tokenizer;
  private final boolean feedsTokenTypes;
  private final int dimension;
  private final int maxTokens;

  SentenceModel(
      String name,
      String version,
      ModelCard card,
      OrtEnvironment env,
      OrtSession session,
      HuggingFaceTokenizer tokenizer,
      String file,
      int maxTokens)
      throws OrtException {
    this.name = name;
    this.version = version;
    this.card = card;
    this.env = env;
    this.session = session;
    this.tokenizer = tokenizer;
    this.maxTokens = maxTokens;
    SessionInterface.check3d(
        session,
        file,
        Set.of(INPUT_IDS, ATTENTION_MASK),
        Set.of(TOKEN_TYPE_IDS),
        LAST_HIDDEN_STATE);
    this.feedsTokenTypes = session.getInputNames().contains(TOKEN_TYPE_IDS);
    long[] shape =
        ((TensorInfo) session.getOutputInfo().get(LAST_HIDDEN_STATE).getInfo()).getShape();
    if (shape[2] <= 0) {
      throw new ModelLoadException(
          file + ": output '" + LAST_HIDDEN_STATE + "' does not declare its width");
    }
    this.dimension = (int) shape[2];
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String version() {
    return version;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public boolean fixture() {
    return card.fixture();
  }

  @Override
  public String description() {
    return card.description();
  }

  @Override
  public boolean embedsImages() {
    return false;
  }

  public int maxTokens() {
    return maxTokens;
  }

  @Override
  public List<TokenizedText> tokenize(List<String> texts) {
    Encoding[] encodings = tokenizer.batchEncode(texts);
    List<TokenizedText> out = new ArrayList<>(encodings.length);
    for (Encoding encoding : encodings) {
      out.add(
          new TokenizedText(encoding.getIds(), encoding.getTokens(), encoding.exceedMaxLength()));
    }
    return out;
  }

  @Override
  public float[][] embedTexts(List<String> texts) throws OrtException {
    List<TokenizedText> tokens = tokenize(texts);
    int batch = tokens.size();
    int length = 0;
    for (TokenizedText t : tokens) {
      length = Math.max(length, t.ids().length);
    }
    long[] ids = new long[batch * length]; // [PAD] is id 0 in BERT vocabularies; masked anyway
    long[] mask = new long[batch * length];
    for (int i = 0; i < batch; i++) {
      long[] row = tokens.get(i).ids();
      System.arraycopy(row, 0, ids, i * length, row.length);
      java.util.Arrays.fill(mask, i * length, i * length + row.length, 1L);
    }
    long[] shape = {batch, length};
    try (OnnxTensor idsTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
        OnnxTensor maskTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
        OnnxTensor types =
            feedsTokenTypes
                ? OnnxTensor.createTensor(env, LongBuffer.wrap(new long[batch * length]), shape)
                : null) {
      Map<String, OnnxTensor> inputs = new HashMap<>();
      inputs.put(INPUT_IDS, idsTensor);
      inputs.put(ATTENTION_MASK, maskTensor);
      if (types != null) {
        inputs.put(TOKEN_TYPE_IDS, types);
      }
      try (OrtSession.Result result = session.run(inputs, Set.of(LAST_HIDDEN_STATE))) {
        FloatBuffer hidden = ((OnnxTensor) result.get(0)).getFloatBuffer();
        return EmbeddingModel.normaliseRows(meanPool(hidden, mask, batch, length, dimension));
      }
    }
  }

  /** Mean of the token states where the mask is 1. */
  static float[][] meanPool(FloatBuffer hidden, long[] mask, int batch, int length, int dim) {
    float[][] out = new float[batch][dim];
    for (int b = 0; b < batch; b++) {
      int count = 0;
      double[] sum = new double[dim];
      for (int t = 0; t < length; t++) {
        if (mask[b * length + t] == 0) {
          continue;
        }
        count++;
        int base = (b * length + t) * dim;
        for (int d = 0; d < dim; d++) {
          sum[d] += hidden.get(base + d);
        }
      }
      for (int d = 0; d < dim; d++) {
        out[b][d] = (float) (sum[d] / Math.max(count, 1));
      }
    }
    return out;
  }

  @Override
  public float[] preprocess(byte[] encoded, String field) {
    throw new InvalidInputException(field, "model " + name + " embeds texts only, not images");
  }

  @Override
  public float[] preprocessFrame(RgbImage frame, String field) {
    throw new InvalidInputException(field, "model " + name + " embeds texts only, not images");
  }

  @Override
  public float[][] embedPixels(List<float[]> pixelValues) {
    throw new InvalidInputException("images", "model " + name + " embeds texts only, not images");
  }

  @Override
  public void warmUp() throws OrtException {
    float[][] out = embedTexts(List.of("warm up"));
    if (out[0].length != dimension) {
      throw new ModelLoadException(
          "model " + name + " returned " + out[0].length + " values, expected " + dimension);
    }
  }

  @Override
  public void close() throws OrtException {
    try {
      session.close();
    } finally {
      tokenizer.close();
    }
  }

  @Override
  public String toString() {
    return "SentenceModel[" + name + ":" + version + ", dim=" + dimension + "]";
  }
}
