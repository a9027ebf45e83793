package multimodal.generator.inference.text;

import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Initialised Tesseract engines kept between images, per language combination: a caller borrows one
 * (or a new one is made when all are in use), reads, and gives it back. At most {@code maxIdle} per
 * language are kept; concurrency itself is bounded by the callers (the ingest consumer's OCR
 * workers, the gRPC slots), so in steady state each worker thread reuses one engine.
 */
final class TesseractEngines implements AutoCloseable {
  private final String tessdata;
  private final int maxIdle;
  private final Map<String, Deque<TesseractEngine>> idle = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  TesseractEngines(String tessdata, int maxIdle) {
    this.tessdata = tessdata;
    this.maxIdle = Math.max(1, maxIdle);
  }

  TesseractEngine borrow(String language) {
    TesseractEngine engine = pool(language).pollFirst();
    return engine != null ? engine : new TesseractEngine(tessdata, language);
  }

  void giveBack(TesseractEngine engine) {
    Deque<TesseractEngine> pool = pool(engine.language());
    if (closed.get() || pool.size() >= maxIdle) {
      engine.close();
      return;
    }
    pool.offerFirst(engine); // the most recently used first: its memory is the warmest
  }

  /** Engines kept idle for a language (tests). */
  int idle(String language) {
    return pool(language).size();
  }

  private Deque<TesseractEngine> pool(String language) {
    return idle.computeIfAbsent(language, l -> new ConcurrentLinkedDeque<>());
  }

  @Override
  public void close() {
    closed.set(true);
    for (Deque<TesseractEngine> pool : idle.values()) {
      for (TesseractEngine engine = pool.pollFirst(); engine != null; engine = pool.pollFirst()) {
        engine.close();
      }
    }
  }
}
