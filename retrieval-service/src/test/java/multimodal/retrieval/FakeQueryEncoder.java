package multimodal.retrieval;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import multimodal.v1.Embedding;
import multimodal.v1.ImageSource;

/**
 * A deterministic encoder for plain unit tests. Model "clip" (the default): colour words map to
 * axis vectors (4 dims), an image's inline bytes are read as such a word. Model "minilm": a 16-dim
 * hashed bag of words, so texts sharing words are close. {@link #failures} calls answer
 * "unavailable" first.
 */
public final class FakeQueryEncoder implements QueryEncoder {
  public static final ModelVersion CLIP = new ModelVersion("clip", "fake-1");
  public static final ModelVersion MINILM = new ModelVersion("minilm", "fake-st-1");
  static final Map<String, float[]> COLOURS =
      Map.of(
          "red", new float[] {1, 0, 0, 0},
          "green", new float[] {0, 1, 0, 0},
          "blue", new float[] {0, 0, 1, 0},
          "yellow", new float[] {1, 1, 0, 0});

  public final AtomicInteger failures = new AtomicInteger();
  public final AtomicInteger textCalls = new AtomicInteger();

  public static float[] colour(String word) {
    return COLOURS.getOrDefault(word, new float[] {0, 0, 0, 1});
  }

  @Override
  public List<Embedding> encodeTexts(List<String> texts, String model) {
    textCalls.incrementAndGet();
    if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new EncoderUnavailableException("fake encoder is down", null);
    }
    List<Embedding> out = new ArrayList<>();
    for (String t : texts) {
      if ("minilm".equals(model)) {
        out.add(embedding(MINILM, bagOfWords(t)));
      } else if (model == null || model.isEmpty() || model.equals("clip")) {
        out.add(embedding(CLIP, colour(lastWord(t))));
      } else {
        throw new ModelNotFoundException(model, "fake encoder has no model " + model);
      }
    }
    return out;
  }

  @Override
  public Embedding encodeImage(ImageSource image, String model) {
    return embedding(CLIP, colour(image.getData().toString(StandardCharsets.UTF_8)));
  }

  /** Templates like "a photo of a {}." end with the label; the colour is the last word. */
  private static String lastWord(String text) {
    String[] words = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z ]", " ").trim().split(" +");
    return words[words.length - 1];
  }

  public static float[] bagOfWords(String text) {
    float[] v = new float[16];
    for (String w : text.toLowerCase(Locale.ROOT).split("[^a-z0-9]+")) {
      if (!w.isEmpty()) {
        v[Math.floorMod(w.hashCode(), 16)] += 1;
      }
    }
    v[15] += 0.01f; // never all zeros
    return v;
  }

  public static Embedding embedding(ModelVersion model, float[] v) {
    Embedding.Builder e =
        Embedding.newBuilder()
            .setModelName(model.name())
            .setModelVersion(model.version())
            .setDimension(v.length);
    for (float x : v) {
      e.addValues(x);
    }
    return e.build();
  }
}
