package multimodal.generator.inference;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/** Closing sessions at shutdown or after a failed load. */
final class Sessions {
  private Sessions() {}

  static void close(OrtSession... sessions) {
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
