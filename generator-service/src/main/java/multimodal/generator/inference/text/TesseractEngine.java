package multimodal.generator.inference.text;

import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import net.sourceforge.tess4j.ITessAPI;
import net.sourceforge.tess4j.TessAPI;

/**
 * One initialised Tesseract (a native {@code TessBaseAPI} with its language model loaded), used by
 * one thread at a time and kept for many images. tess4j's {@code Tesseract} class creates and
 * initialises a new TessBaseAPI on every call, which loads the traineddata each time: ~150 ms of
 * the ~155 ms one small image cost. The settings are those that class was given before: automatic
 * page segmentation, the LSTM engine, 300 dpi (photographs carry no resolution).
 */
final class TesseractEngine implements AutoCloseable {
  private static final TessAPI API = TessAPI.INSTANCE;

  private final String language;
  private ITessAPI.TessBaseAPI handle;

  TesseractEngine(String tessdata, String language) {
    this.language = language;
    this.handle = API.TessBaseAPICreate();
    if (API.TessBaseAPIInit2(handle, tessdata, language, ITessAPI.TessOcrEngineMode.OEM_LSTM_ONLY)
        != 0) {
      API.TessBaseAPIDelete(handle);
      handle = null;
      throw new IllegalStateException(
          "tesseract could not load '" + language + "' from " + tessdata);
    }
    API.TessBaseAPISetPageSegMode(handle, ITessAPI.TessPageSegMode.PSM_AUTO);
    API.TessBaseAPISetVariable(handle, "user_defined_dpi", "300");
  }

  String language() {
    return language;
  }

  /** The text of an image given as packed RGB bytes (3 per pixel, rows without padding). */
  String read(ByteBuffer rgb, int width, int height) {
    try {
      API.TessBaseAPISetImage(handle, rgb, width, height, 3, 3 * width);
      Pointer text = API.TessBaseAPIGetUTF8Text(handle);
      if (text == null) {
        throw new IllegalStateException("tesseract failed to recognise the image");
      }
      try {
        return text.getString(0, StandardCharsets.UTF_8.name());
      } finally {
        API.TessDeleteText(text);
      }
    } finally {
      // Frees the image and the page's results; the loaded model stays for the next image.
      API.TessBaseAPIClear(handle);
    }
  }

  @Override
  public void close() {
    if (handle != null) {
      API.TessBaseAPIEnd(handle);
      API.TessBaseAPIDelete(handle);
      handle = null;
    }
  }
}
