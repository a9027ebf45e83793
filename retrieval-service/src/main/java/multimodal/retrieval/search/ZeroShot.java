package multimodal.retrieval.search;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import multimodal.retrieval.EncoderUnavailableException;
import multimodal.retrieval.InvalidRequestException;
import multimodal.retrieval.MediaNotFoundException;
import multimodal.retrieval.ModelVersion;
import multimodal.retrieval.QueryEncoder;
import multimodal.retrieval.config.RetrievalConfig;
import multimodal.retrieval.index.MediaItem;
import multimodal.retrieval.index.Vectors;
import multimodal.v1.Embedding;
import multimodal.v1.ImageSource;
import multimodal.v1.ImageTarget;
import multimodal.v1.Limits;
import multimodal.v1.TimedText;

/**
 * CLIP as a scorer: ranks texts for an image (RankTexts), zero-shot classification with prompt
 * ensembling (Classify, as in the CLIP paper §3.1.4), and text-vs-media scores (Rerank). Images
 * come inline/by URI (embedded by the encoder) or by media id (the stored vector, through {@link
 * MediaLookup}: from whichever shard holds it). Blocking.
 */
@ApplicationScoped
public class ZeroShot {
  /** CLIP's 80 ImageNet prompt templates, from the resource file (which names its source). */
  public static final List<String> IMAGENET_TEMPLATES =
      loadTemplates("/clip/imagenet-templates.txt");

  private static final int MAX_TEXTS = 4096;

  /**
   * Texts per EncodeTexts call: at most the encoder's per-request limit ({@code
   * encoder.max-batch-size}, 64 by default). At 256, one label with the 80 default templates was
   * refused by the encoder ("texts: 80 items, over the limit of 64"), so Classify without templates
   * always failed.
   */
  private static final int ENCODE_BATCH = 64;

  private final QueryEncoder encoder;
  private final MediaSearch search;
  private final MediaLookup media;
  private final RetrievalConfig config;

  public ZeroShot(
      QueryEncoder encoder, MediaSearch search, MediaLookup media, RetrievalConfig config) {
    this.encoder = encoder;
    this.search = search;
    this.media = media;
    this.config = config;
  }

  /** A text (or label) with its logit (logit_scale · cosine) and softmax probability. */
  public record Scored(String text, int index, float logit, float probability) {}

  /** Scores sorted best first, and the model version that produced them. */
  public record Ranking(ModelVersion model, List<Scored> scores) {}

  public Ranking rankTexts(ImageTarget image, List<String> texts, String model, String tenant) {
    requireTexts(texts, "texts");
    List<float[]> textVectors = new ArrayList<>();
    ModelVersion version = encodeTexts(texts, model, textVectors);
    float[] imageVector = imageVector(image, model, version, tenant);
    return rank(version, texts, imageVector, textVectors);
  }

  /**
   * Each label's classifier vector is the renormalised mean of the normalised embeddings of all its
   * templates (prompt ensembling); labels are then ranked like texts.
   */
  public Ranking classify(
      ImageTarget image, List<String> labels, List<String> templates, String model, String tenant) {
    requireTexts(labels, "labels");
    List<String> effective = templates.isEmpty() ? IMAGENET_TEMPLATES : templates;
    for (String t : effective) {
      if (!t.contains("{}")) {
        throw new InvalidRequestException(
            "templates", "template '" + t + "' has no {} for the label");
      }
    }
    if ((long) labels.size() * effective.size() > 100_000) {
      throw new InvalidRequestException("labels", "labels × templates must not exceed 100000");
    }
    List<String> prompts = new ArrayList<>(labels.size() * effective.size());
    for (String label : labels) {
      for (String t : effective) {
        prompts.add(t.replace("{}", label));
      }
    }
    List<float[]> promptVectors = new ArrayList<>();
    ModelVersion version = encodeTexts(prompts, model, promptVectors);
    List<float[]> classifiers = new ArrayList<>(labels.size());
    for (int l = 0; l < labels.size(); l++) {
      float[] mean = new float[promptVectors.get(0).length];
      for (int t = 0; t < effective.size(); t++) {
        float[] v = promptVectors.get(l * effective.size() + t);
        for (int i = 0; i < mean.length; i++) {
          mean[i] += v[i];
        }
      }
      classifiers.add(Vectors.normalized(mean));
    }
    float[] imageVector = imageVector(image, model, version, tenant);
    return rank(version, labels, imageVector, classifiers);
  }

  /**
   * One media item's CLIP score (cosine) for a text; a video's is the better of its mean vector's
   * and its best keyframe's, and {@code scenes} are its best keyframes (empty for images).
   */
  public record MediaScore(MediaItem item, float score, List<TimedText> scenes) {}

  public record Reranked(ModelVersion model, List<MediaScore> hits, List<String> missing) {}

  public Reranked rerank(String text, List<String> mediaIds, String model, String tenant) {
    if (text == null || text.isBlank()) {
      throw new InvalidRequestException("text", "text must not be empty");
    }
    if (mediaIds.isEmpty() || mediaIds.size() > config.search().maxK()) {
      throw new InvalidRequestException(
          "media_ids", "give 1.." + config.search().maxK() + " media ids");
    }
    TextQuery q = textQuery(text, model);
    ModelVersion version = q.version();
    float[] query = q.vector();
    String owner = search.tenant(tenant);
    List<String> ids = List.copyOf(new LinkedHashSet<>(mediaIds));
    for (String id : ids) {
      if (id.isBlank()) {
        throw new InvalidRequestException("media_id", "media_id must not be empty");
      }
    }
    // One lookup for all ids: over shards, one round to every shard.
    Map<String, MediaItem> found = media.withVector(ids, version, owner);
    List<MediaScore> hits = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String id : ids) {
      MediaItem item = found.get(id);
      MediaItem.StoredVector v = item == null ? null : item.imageVectors().get(version);
      if (v == null || v.vector().length != query.length) {
        missing.add(id);
      } else {
        // A video ranks by its best scene, as in a vector search (KeyframeMatches).
        List<TimedText> scenes = KeyframeMatches.best(item.keyframes(), version, query);
        float mean = score(query, v.vector());
        float best = scenes.isEmpty() ? mean : Math.max(mean, scenes.get(0).getScore());
        hits.add(new MediaScore(item, best, scenes));
      }
    }
    hits.sort(
        Comparator.comparing(MediaScore::score).reversed().thenComparing(h -> h.item().mediaId()));
    return new Reranked(version, hits, missing);
  }

  /** A caller image's CLIP score (cosine) for a text; {@code index} is its place in the request. */
  public record ImageScore(int index, String clientId, float score) {}

  public record ImagesReranked(ModelVersion model, List<ImageScore> images) {}

  /**
   * Caller images (e.g. generated candidates) scored for a text exactly as {@link #rerank} scores
   * indexed media: the text's and each image's CLIP embedding, both from the encoder in the same
   * model version, compared by cosine; best first, ties in request order.
   */
  public ImagesReranked rerankImages(String text, List<ImageSource> images, String model) {
    if (images.isEmpty() || images.size() > Limits.RERANK_MAX_IMAGES) {
      throw new InvalidRequestException(
          "images", "give 1.." + Limits.RERANK_MAX_IMAGES + " images, got " + images.size());
    }
    TextQuery q = textQuery(text, model);
    List<ImageScore> scores = new ArrayList<>(images.size());
    for (int i = 0; i < images.size(); i++) {
      Embedding e = encoder.encodeImage(images.get(i), model);
      ModelVersion v = new ModelVersion(e.getModelName(), e.getModelVersion());
      if (!v.equals(q.version())) {
        throw new EncoderUnavailableException(
            "encoder answered the text with " + q.version() + " and images[" + i + "] with " + v,
            null);
      }
      float[] vector = Vectors.normalized(Vectors.values(e));
      if (vector.length != q.vector().length) {
        throw new InvalidRequestException(
            "model",
            "the text vector has %d dimensions, images[%d] %d"
                .formatted(q.vector().length, i, vector.length));
      }
      scores.add(new ImageScore(i, images.get(i).getClientId(), score(q.vector(), vector)));
    }
    scores.sort(
        Comparator.comparing(ImageScore::score).reversed().thenComparing(ImageScore::index));
    return new ImagesReranked(q.version(), scores);
  }

  /** A text's unit CLIP vector and the model version that embedded it. */
  private record TextQuery(ModelVersion version, float[] vector) {}

  private TextQuery textQuery(String text, String model) {
    if (text == null || text.isBlank()) {
      throw new InvalidRequestException("text", "text must not be empty");
    }
    Embedding e = encoder.encodeText(text, model);
    return new TextQuery(
        new ModelVersion(e.getModelName(), e.getModelVersion()),
        Vectors.normalized(Vectors.values(e)));
  }

  /** The one CLIP score of Rerank, for media and caller images alike: cosine of unit vectors. */
  private static float score(float[] text, float[] image) {
    return Vectors.dot(text, image);
  }

  private Ranking rank(
      ModelVersion version, List<String> texts, float[] image, List<float[]> textVectors) {
    double scale =
        config.clip().logitScales().getOrDefault(version.name(), config.clip().logitScale());
    float[] logits = new float[texts.size()];
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < logits.length; i++) {
      if (textVectors.get(i).length != image.length) {
        throw new InvalidRequestException(
            "model",
            "text vectors have %d dimensions, the image vector %d"
                .formatted(textVectors.get(i).length, image.length));
      }
      logits[i] = (float) (scale * Vectors.dot(image, textVectors.get(i)));
      max = Math.max(max, logits[i]);
    }
    // Softmax, shifted by the max logit for numerical stability.
    double sum = 0;
    double[] exp = new double[logits.length];
    for (int i = 0; i < logits.length; i++) {
      exp[i] = Math.exp(logits[i] - max);
      sum += exp[i];
    }
    List<Scored> scores = new ArrayList<>(logits.length);
    for (int i = 0; i < logits.length; i++) {
      scores.add(new Scored(texts.get(i), i, logits[i], (float) (exp[i] / sum)));
    }
    scores.sort(Comparator.comparing(Scored::probability).reversed().thenComparing(Scored::index));
    return new Ranking(version, scores);
  }

  /** Embeds texts in batches into unit vectors; returns the model version that answered. */
  private ModelVersion encodeTexts(List<String> texts, String model, List<float[]> out) {
    ModelVersion version = null;
    for (int from = 0; from < texts.size(); from += ENCODE_BATCH) {
      for (Embedding e :
          encoder.encodeTexts(
              texts.subList(from, Math.min(texts.size(), from + ENCODE_BATCH)), model)) {
        ModelVersion v = new ModelVersion(e.getModelName(), e.getModelVersion());
        if (version != null && !version.equals(v)) {
          throw new EncoderUnavailableException(
              "encoder switched model version mid-request: " + version + " → " + v, null);
        }
        version = v;
        out.add(Vectors.normalized(Vectors.values(e)));
      }
    }
    return version;
  }

  /** The image's vector in the same model version as the texts. */
  private float[] imageVector(
      ImageTarget target, String model, ModelVersion version, String tenant) {
    switch (target.getTargetCase()) {
      case IMAGE -> {
        Embedding e = encoder.encodeImage(target.getImage(), model);
        ModelVersion v = new ModelVersion(e.getModelName(), e.getModelVersion());
        if (!v.equals(version)) {
          throw new EncoderUnavailableException(
              "encoder answered texts with " + version + " and the image with " + v, null);
        }
        return Vectors.normalized(Vectors.values(e));
      }
      case MEDIA_ID -> {
        if (target.getMediaId().isBlank()) {
          throw new InvalidRequestException("image.media_id", "media_id must not be empty");
        }
        String id = target.getMediaId();
        String owner = search.tenant(tenant);
        MediaItem item = media.withVector(List.of(id), version, owner).get(id);
        if (item == null) {
          throw MediaNotFoundException.noEmbedding(id, version, owner);
        }
        return item.imageVectors().get(version).vector();
      }
      default -> throw new InvalidRequestException("image", "set image.image or image.media_id");
    }
  }

  private static void requireTexts(List<String> texts, String field) {
    if (texts.isEmpty() || texts.size() > MAX_TEXTS) {
      throw new InvalidRequestException(field, "give 1.." + MAX_TEXTS + " " + field);
    }
    for (String t : texts) {
      if (t.isBlank()) {
        throw new InvalidRequestException(field, field + " must not contain empty strings");
      }
    }
  }

  private static List<String> loadTemplates(String resource) {
    try (InputStream in = ZeroShot.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      List<String> templates = new ArrayList<>();
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (!line.isBlank() && !line.startsWith("#")) {
          templates.add(line.strip());
        }
      }
      return List.copyOf(templates);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
