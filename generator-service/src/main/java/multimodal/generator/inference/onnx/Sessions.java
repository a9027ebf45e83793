package multimodal.generator.inference.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/** Closing sessions and tokenizers at shutdown or after a failed load. */
public final class Sessions {
  private Sessions() {}

  public static void close(OrtSession... sessions) {
    for (OrtSession session : sessions) {
      if (session == null) {
        continue;
      }
      try {
        session.close();
      } catch (OrtException e) {
        // nothing left to do with a session that cannot close; go on with the others
      }
    }
  }

  /**
   * Closes whatever of a half-loaded model was made (nulls skipped), each failure ignored: the load
   * failure that got here is the one to report.
   */
  public static void closeQuietly(AutoCloseable... resources) {
    for (AutoCloseable resource : resources) {
      if (resource == null) {
        continue;
      }
      try {
        resource.close();
      } catch (Exception e) {
        // the load already failed; go on closing the others
      }
    }
  }
}
