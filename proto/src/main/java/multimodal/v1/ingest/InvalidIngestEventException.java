package multimodal.v1.ingest;

/** A media.ingest.v1 record that can never be processed: its message is the dead-letter reason. */
public class InvalidIngestEventException extends RuntimeException {
  public InvalidIngestEventException(String reason) {
    super(reason);
  }

  public InvalidIngestEventException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
