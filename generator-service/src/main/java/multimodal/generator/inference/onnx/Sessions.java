package multimodal.generator.inference.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/** Closing sessions at shutdown or after a failed load. */
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
}
