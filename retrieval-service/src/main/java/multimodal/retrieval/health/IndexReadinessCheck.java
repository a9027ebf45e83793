package multimodal.retrieval.health;

import jakarta.enterprise.context.ApplicationScoped;
import multimodal.retrieval.index.LuceneMediaIndex;
import multimodal.retrieval.messaging.IndexMaterializer;
import multimodal.retrieval.messaging.Materializer;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the Lucene index is open and (when consuming) the shard's partitions are assigned. */
@Readiness
@ApplicationScoped
public class IndexReadinessCheck implements HealthCheck {
  private final LuceneMediaIndex index;
  private final Materializer materializer;

  IndexReadinessCheck(LuceneMediaIndex index, Materializer materializer) {
    this.index = index;
    this.materializer = materializer;
  }

  @Override
  public HealthCheckResponse call() {
    if (!index.isOpen()) {
      return HealthCheckResponse.named("lucene-index").down().build();
    }
    HealthCheckResponseBuilder response =
        HealthCheckResponse.named("lucene-index")
            .up()
            .withData("path", index.path().toString())
            .withData("documents", index.documentCount());
    IndexMaterializer m = materializer.current();
    if (m != null) {
      response.withData("partitions", m.assignment().size());
      if (!m.running() || m.assignment().isEmpty()) {
        response.down();
      }
      if (m.lastError() != null) {
        response.withData("lastError", m.lastError().getMessage()).down();
      }
    }
    return response.build();
  }
}
