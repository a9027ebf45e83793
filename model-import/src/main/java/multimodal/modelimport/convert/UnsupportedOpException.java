package multimodal.modelimport.convert;

/** A graph node the importer cannot convert faithfully; the message names the op and the node. */
public final class UnsupportedOpException extends RuntimeException {

  public UnsupportedOpException(String op, String node, String why) {
    super(
        "cannot convert TensorFlow op '"
            + op
            + "' at node '"
            + node
            + "'"
            + (why == null ? "" : ": " + why));
  }
}
