package multimodal.generator.messaging;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import multimodal.generator.inference.generation.Generated;
import multimodal.v1.CaptionSegment;
import multimodal.v1.MediaCaptionEvent;

/**
 * The body of a media.caption.v1 event (caption, OCR text, their costs, a video's segments); the
 * consumer adds the item's identity, the models and the time.
 */
final class CaptionEvents {
  private CaptionEvents() {}

  /** An image: its caption and, when OCR ran, its text. */
  static MediaCaptionEvent.Builder image(CaptionEnrichment.Enriched enriched) {
    MediaCaptionEvent.Builder event =
        MediaCaptionEvent.newBuilder()
            .setCaption(enriched.caption().text())
            .setCaptionMicros(micros(enriched.caption()));
    enriched
        .ocr()
        .ifPresent(
            text ->
                event
                    .setOcrText(text.text())
                    .setOcrEngine(text.engine())
                    .setOcrMicros(text.micros()));
    return event;
  }

  /**
   * A video: one segment per keyframe, and for consumers that read the item-level fields only a
   * summary: each distinct caption, and each distinct non-empty OCR text, once, in order of first
   * appearance, one per line. Costs are the sums over the keyframes.
   */
  static MediaCaptionEvent.Builder video(VideoCaptions.Captioned video) {
    MediaCaptionEvent.Builder event =
        MediaCaptionEvent.newBuilder().setDurationMs(video.durationMs());
    Set<String> captions = new LinkedHashSet<>();
    Set<String> texts = new LinkedHashSet<>();
    long captionMicros = 0;
    long ocrMicros = 0;
    List<CaptionEnrichment.Enriched> frames = video.frames();
    for (int i = 0; i < frames.size(); i++) {
      CaptionEnrichment.Enriched frame = frames.get(i);
      String caption = frame.caption().text().strip();
      String text = frame.ocr().map(o -> o.text().strip()).orElse("");
      event.addSegments(
          CaptionSegment.newBuilder()
              .setTime(video.times().get(i))
              .setCaption(caption)
              .setOcrText(text));
      if (!caption.isEmpty()) {
        captions.add(caption);
      }
      if (!text.isEmpty()) {
        texts.add(text);
      }
      captionMicros += micros(frame.caption());
      if (frame.ocr().isPresent()) {
        event.setOcrEngine(frame.ocr().get().engine());
        ocrMicros += frame.ocr().get().micros();
      }
    }
    return event
        .setCaption(String.join("\n", captions))
        .setOcrText(String.join("\n", texts))
        .setCaptionMicros(captionMicros)
        .setOcrMicros(ocrMicros);
  }

  private static long micros(Generated caption) {
    return caption.preprocessMicros() + caption.inferenceMicros();
  }
}
