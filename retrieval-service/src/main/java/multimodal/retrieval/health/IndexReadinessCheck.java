package multimodal.retrieval.health;

import jakarta.enterprise.context.ApplicationScoped;
import multimodal.retrieval.index.LuceneMediaIndex;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the Lucene index is open (Kafka readiness is SmallRye's own check). */
@Readiness
@ApplicationScoped
public class IndexReadinessCheck implements HealthCheck {
  private final LuceneMediaIndex index;

  IndexReadinessCheck(LuceneMediaIndex index) {
    this.index = index;
  }

  @Override
  public HealthCheckResponse call() {
    if (!index.isOpen()) {
      return HealthCheckResponse.named("lucene-index").down().build();
    }
    return HealthCheckResponse.named("lucene-index")
        .up()
        .withData("path", index.path().toString())
        .withData("documents", index.documentCount())
        .build();
  }
}
