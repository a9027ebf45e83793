package multimodal.encoder.inference;

import ai.onnxruntime.OrtException;
import java.util.ArrayList;
import java.util.List;
import multimodal.encoder.Embedding;
import multimodal.encoder.InvalidInputException;

/**
 * One served CLIP model: both towers, their pre-processing, and what the service reports about
 * it. Thread-safe: ONNX Runtime sessions may run concurrently, and the rest is immutable.
 */
public final class ClipModel implements AutoCloseable {
  private final String name;
  private final String version;
  private final int dimension;
  private final ModelCard card;
  private final TextEncoder text;
  private final ImageEncoder image;
  private final ImageDecoder decoder;

  ClipModel(
      String name,
      String version,
      int dimension,
      ModelCard card,
      TextEncoder text,
      ImageEncoder image,
      ImageDecoder decoder) {
    this.name = name;
    this.version = version;
    this.dimension = dimension;
    this.card = card;
    this.text = text;
    this.image = image;
    this.decoder = decoder;
  }

  public String name() {
    return name;
  }

  public String version() {
    return version;
  }

  public int dimension() {
    return dimension;
  }

  /** True for a generated demo/test fixture rather than trained weights. */
  public boolean fixture() {
    return card.fixture();
  }

  public String description() {
    return card.description();
  }

  public ClipTokenizer tokenizer() {
    return text.tokenizer();
  }

  /**
   * Embeds texts, one L2-normalised embedding each, in order.
   *
   * @throws InvalidInputException naming the first empty text ({@code texts[i]})
   */
  public List<Embedding> encodeTexts(List<String> texts) throws OrtException {
    for (int i = 0; i < texts.size(); i++) {
      String t = texts.get(i);
      if (t == null || t.isBlank()) {
        throw new InvalidInputException("texts[" + i + "]", "text must not be empty");
      }
    }
    return wrap(text.encode(texts));
  }

  /** Token ids and strings of each text, as the text tower sees them. */
  public List<TokenizedText> tokenize(List<String> texts) {
    return text.tokenizer().tokenize(texts);
  }

  /**
   * Decodes and preprocesses one encoded image into pixel values.
   *
   * @param field names the item in errors
   * @throws InvalidInputException when it is over a limit or not decodable
   */
  public float[] preprocess(byte[] encoded, String field) {
    return image.preprocessor().pixelValues(decoder.decode(encoded, field));
  }

  /** Embeds preprocessed images (from {@link #preprocess}), one normalised embedding each. */
  public List<Embedding> encodePixels(List<float[]> pixelValues) throws OrtException {
    return wrap(image.encode(pixelValues));
  }

  /** Preprocesses and embeds encoded images; errors name {@code images[i]}. */
  public List<Embedding> encodeImages(List<byte[]> encoded) throws OrtException {
    List<float[]> pixels = new ArrayList<>(encoded.size());
    for (int i = 0; i < encoded.size(); i++) {
      pixels.add(preprocess(encoded.get(i), "images[" + i + "]"));
    }
    return encodePixels(pixels);
  }

  /** One run of each tower, so the first request does not pay for lazy initialisation. */
  void warmUp() throws OrtException {
    checkDimension(text.encode(List.of("a photo")), "text");
    checkDimension(
        image.encode(List.of(new float[image.preprocessor().valuesPerImage()])), "vision");
  }

  private void checkDimension(float[][] out, String tower) {
    if (out.length != 1 || out[0].length != dimension) {
      throw new ModelLoadException(
          "model " + name + ": the " + tower + " tower returned " + out[0].length
              + " values, expected " + dimension);
    }
  }

  private List<Embedding> wrap(float[][] raw) {
    List<Embedding> out = new ArrayList<>(raw.length);
    for (float[] vector : raw) {
      out.add(Embedding.normalised(name, version, vector));
    }
    return out;
  }

  @Override
  public void close() throws OrtException {
    try {
      text.close();
    } finally {
      image.close();
    }
  }

  @Override
  public String toString() {
    return "ClipModel[" + name + ":" + version + ", dim=" + dimension + (fixture() ? ", fixture" : "") + "]";
  }
}
