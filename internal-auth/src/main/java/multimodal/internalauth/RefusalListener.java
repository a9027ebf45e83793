package multimodal.internalauth;

/** Told of every refused internal call (a metric counts them); never given the tenant. */
@FunctionalInterface
public interface RefusalListener {
  void refused(RefusalReason reason, String caller);
}
