package multimodal.encoder.inference;

import ai.onnxruntime.OrtException;
import java.util.List;
import multimodal.encoder.InvalidInputException;
import multimodal.media.ImageDecoder;
import multimodal.media.InvalidImageException;
import multimodal.media.RgbImage;

/**
 * One served CLIP model: both towers (in whichever layout), their pre-processing, and what the
 * service reports about it. Thread-safe: ONNX Runtime sessions may run concurrently, and the rest
 * is immutable.
 */
public final class ClipModel implements EmbeddingModel {
  private static final System.Logger LOG = System.getLogger(ClipModel.class.getName());
  private final String name;
  private final String version;
  private final int dimension;
  private final ModelCard card;
  private final ClipLayout layout;
  private final TextTower text;
  private final ImageTower image;
  private final ImageDecoder decoder;
  private final int dctMinShortSide;

  ClipModel(
      String name,
      String version,
      int dimension,
      ModelCard card,
      ClipLayout layout,
      TextTower text,
      ImageTower image,
      ImageDecoder decoder,
      int dctMinShortSide) {
    this.name = name;
    this.version = version;
    this.dimension = dimension;
    this.card = card;
    this.layout = layout;
    this.text = text;
    this.image = image;
    this.decoder = decoder;
    this.dctMinShortSide = dctMinShortSide;
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

  public ClipLayout layout() {
    return layout;
  }

  @Override
  public boolean embedsImages() {
    return true;
  }

  public ClipTokenizer tokenizer() {
    return text.tokenizer();
  }

  @Override
  public List<TokenizedText> tokenize(List<String> texts) {
    return text.tokenizer().tokenize(texts);
  }

  @Override
  public float[][] embedTexts(List<String> texts) throws OrtException {
    return normalise(text.encode(texts));
  }

  @Override
  public float[] preprocess(byte[] encoded, String field) {
    ImageDecoder.Decoded decoded;
    try {
      decoded = decoder.read(encoded, field, dctMinShortSide);
    } catch (InvalidImageException e) {
      throw new InvalidInputException(e.field(), e.reason(), e); // INVALID_ARGUMENT / dead letter
    }
    // Only with encoder.images.allow-truncated: embedded all the same, and said so.
    decoded
        .truncation()
        .ifPresent(
            reason ->
                LOG.log(
                    System.Logger.Level.WARNING,
                    "embedding a truncated image ({0}): {1}",
                    field,
                    reason));
    return image.preprocessor().pixelValues(decoded.image());
  }

  @Override
  public float[] preprocessFrame(RgbImage frame, String field) {
    return image.preprocessor().pixelValues(frame);
  }

  @Override
  public float[][] embedPixels(List<float[]> pixelValues) throws OrtException {
    return normalise(image.encode(pixelValues));
  }

  /** The split export returns raw projections; the combined and Immich graphs normalise inside. */
  private float[][] normalise(float[][] raw) {
    return layout == ClipLayout.SPLIT ? EmbeddingModel.normaliseRows(raw) : raw;
  }

  @Override
  public void warmUp() throws OrtException {
    checkDimension(text.encode(List.of("a photo")), "text");
    checkDimension(
        image.encode(List.of(new float[image.preprocessor().valuesPerImage()])), "vision");
  }

  private void checkDimension(float[][] out, String tower) {
    if (out.length != 1 || out[0].length != dimension) {
      throw new ModelLoadException(
          "model "
              + name
              + ": the "
              + tower
              + " tower returned "
              + out[0].length
              + " values, expected "
              + dimension);
    }
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
    return "ClipModel["
        + name
        + ":"
        + version
        + ", "
        + layout
        + ", dim="
        + dimension
        + (fixture() ? ", fixture" : "")
        + "]";
  }
}
