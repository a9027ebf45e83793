package multimodal.internalauth;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts refused internal calls as {@code internal_auth_refusals_total{reason,caller}} (Prometheus
 * naming), the one metric name every serving service and its dashboards share.
 */
public final class RefusalCounter implements RefusalListener {
  public static final String METRIC = "internal.auth.refusals";

  private final MeterRegistry meters;

  public RefusalCounter(MeterRegistry meters) {
    this.meters = meters;
  }

  @Override
  public void refused(RefusalReason reason, String caller) {
    meters.counter(METRIC, "reason", reason.label(), "caller", caller).increment();
  }
}
