package multimodal.generator.inference.caption;

/** What a captioning model is asked for (mapped from the service's CaptionTask). */
public enum CaptionTaskKind {
  CAPTION,
  DETAILED_CAPTION,
  MORE_DETAILED_CAPTION,
  OCR
}
