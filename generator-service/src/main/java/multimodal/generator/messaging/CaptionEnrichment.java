package multimodal.generator.messaging;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import multimodal.generator.InputOrderPool;
import multimodal.generator.inference.caption.CaptionModel;
import multimodal.generator.inference.caption.CaptionTaskKind;
import multimodal.generator.inference.generation.DecodingOptions;
import multimodal.generator.inference.generation.Generated;
import multimodal.generator.inference.generation.GenerationControl;
import multimodal.generator.inference.generation.GenerationEngine;
import multimodal.generator.inference.text.TesseractOcr;
import multimodal.generator.inference.text.TextPresence;

/**
 * What the caption consumer computes for a batch of ingested images, in plain Java: one batched
 * caption generation per {@code maxBatch} images on the calling thread and, at the same time, OCR
 * of each image on a small pool of {@code concurrency} workers (each reusing a Tesseract engine).
 * Images that the cheap {@link TextPresence} check finds no text in skip Tesseract and get an empty
 * text. The pool bounds the generator's share of the CPU on a machine it shares with the encoder.
 */
public final class CaptionEnrichment implements AutoCloseable {
  /** The OCR outcome of one image; {@code skipped} when the text check found nothing to read. */
  public record OcrText(String text, String engine, long micros, boolean skipped) {}

  /** One image's caption and, when OCR is on, its text. */
  public record Enriched(Generated caption, Optional<OcrText> ocr) {}

  private final Optional<TextPresence> textCheck;
  private final int maxBatch;
  private final InputOrderPool workers;

  /**
   * @param textCheck when present, images it finds no text in are not OCR'd
   * @param maxBatch most images in one caption generation
   * @param concurrency OCR workers (threads)
   */
  public CaptionEnrichment(Optional<TextPresence> textCheck, int maxBatch, int concurrency) {
    this.textCheck = textCheck;
    this.maxBatch = Math.max(1, maxBatch);
    this.workers = new InputOrderPool(concurrency, "ocr");
  }

  /**
   * Captions and OCRs the images; results in input order. A failure fails the whole call.
   *
   * @param ocr Tesseract, or empty when OCR is off
   */
  public List<Enriched> enrich(
      CaptionModel model,
      Optional<TesseractOcr> ocr,
      List<BufferedImage> images,
      DecodingOptions options) {
    List<Enriched> out = new ArrayList<>(images.size());
    for (int from = 0; from < images.size(); from += maxBatch) {
      List<BufferedImage> chunk = images.subList(from, Math.min(images.size(), from + maxBatch));
      // OCR starts first so that it runs on the workers while this thread captions.
      Optional<InputOrderPool.Running<OcrText>> texts =
          ocr.map(tesseract -> workers.start(chunk, image -> read(tesseract, image)));
      List<Generated> captions;
      try (GenerationControl control = GenerationControl.unlimited()) {
        captions =
            model.caption(
                chunk,
                CaptionTaskKind.CAPTION,
                options,
                control,
                GenerationEngine.TokenListener.NONE);
      }
      List<InputOrderPool.Outcome<OcrText>> read =
          texts.map(InputOrderPool.Running::outcomes).orElse(List.of());
      for (int i = 0; i < chunk.size(); i++) {
        Optional<OcrText> text = Optional.empty();
        if (!read.isEmpty()) {
          if (read.get(i).failure() != null) {
            throw read.get(i).failure();
          }
          text = Optional.of(read.get(i).result());
        }
        out.add(new Enriched(captions.get(i), text));
      }
    }
    return out;
  }

  private OcrText read(TesseractOcr tesseract, BufferedImage image) {
    long start = System.nanoTime();
    if (textCheck.isPresent() && !textCheck.get().mayContainText(image)) {
      return new OcrText("", tesseract.engine(), (System.nanoTime() - start) / 1_000, true);
    }
    String text = tesseract.read(image, List.of());
    return new OcrText(text, tesseract.engine(), (System.nanoTime() - start) / 1_000, false);
  }

  @Override
  public void close() {
    workers.close();
  }
}
