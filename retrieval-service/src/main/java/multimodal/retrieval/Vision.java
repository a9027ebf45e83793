package multimodal.retrieval;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import multimodal.v1.ClassScore;
import multimodal.v1.DetectedObject;
import multimodal.v1.MediaVisionEvent;
import multimodal.v1.ModelRef;

/**
 * What the detector and the safety classifier said about one image (media.vision.v1). The parts are
 * the contract's own immutable value messages: re-declaring them as records would only copy them
 * field by field.
 *
 * @param detector null when no detector ran
 * @param safety empty until the safety classifier scored the image
 * @param safetyModel null when no safety classifier ran
 * @param unsafeScore sum of the unsafe classes' probabilities; meaningful only when {@link
 *     #scored()}
 * @param analysedAt null when the event did not say
 */
public record Vision(
    List<DetectedObject> objects,
    ModelRef detector,
    List<ClassScore> safety,
    ModelRef safetyModel,
    float unsafeScore,
    int imageWidth,
    int imageHeight,
    Instant analysedAt) {
  public Vision {
    objects = List.copyOf(Objects.requireNonNull(objects, "objects"));
    safety = List.copyOf(Objects.requireNonNull(safety, "safety"));
  }

  /** True when the safety classifier scored the image (safe search can judge it). */
  public boolean scored() {
    return !safety.isEmpty();
  }

  /**
   * The distinct labels, lower-cased, in the event's order (best first). One entry per label, not
   * per instance: how many boxes a detector draws around one horse depends on its suppression, not
   * on how much "horse" the image shows, so BM25 counts a label once.
   */
  public List<String> labels() {
    Set<String> labels = new LinkedHashSet<>();
    for (DetectedObject o : objects) {
      labels.add(normalizedLabel(o.getLabel()));
    }
    return List.copyOf(labels);
  }

  /** How labels are indexed and matched by the objects filter: exact, case-insensitive. */
  public static String normalizedLabel(String label) {
    return label.strip().toLowerCase(Locale.ROOT);
  }

  /** From an event (validated by the caller). */
  public static Vision fromEvent(MediaVisionEvent e) {
    return new Vision(
        e.getObjectsList(),
        e.hasDetector() ? e.getDetector() : null,
        e.getSafetyList(),
        e.hasSafetyModel() ? e.getSafetyModel() : null,
        e.getUnsafeScore(),
        e.getImageWidth(),
        e.getImageHeight(),
        e.hasAnalysedAt()
            ? Instant.ofEpochSecond(e.getAnalysedAt().getSeconds(), e.getAnalysedAt().getNanos())
            : null);
  }

  /**
   * The vision part as an event without ids: what the index stores, and parses back with {@link
   * #parse}.
   */
  public MediaVisionEvent toEvent() {
    MediaVisionEvent.Builder e =
        MediaVisionEvent.newBuilder()
            .addAllObjects(objects)
            .addAllSafety(safety)
            .setUnsafeScore(unsafeScore)
            .setImageWidth(imageWidth)
            .setImageHeight(imageHeight);
    if (detector != null) {
      e.setDetector(detector);
    }
    if (safetyModel != null) {
      e.setSafetyModel(safetyModel);
    }
    if (analysedAt != null) {
      e.setAnalysedAt(
          Timestamp.newBuilder()
              .setSeconds(analysedAt.getEpochSecond())
              .setNanos(analysedAt.getNano()));
    }
    return e.build();
  }

  /** Reads what {@link #toEvent()} wrote. */
  public static Vision parse(byte[] stored) {
    try {
      return fromEvent(MediaVisionEvent.parseFrom(stored));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("stored vision part is not a MediaVisionEvent", e);
    }
  }
}
