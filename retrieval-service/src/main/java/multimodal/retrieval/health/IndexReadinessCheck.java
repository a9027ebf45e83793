package multimodal.retrieval.health;

import jakarta.enterprise.context.ApplicationScoped;
import multimodal.retrieval.index.LuceneMediaIndex;
import multimodal.retrieval.messaging.IndexMaterializer;
import multimodal.retrieval.messaging.Materializer;
import multimodal.retrieval.messaging.PartitionCounts;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the Lucene index is open and (when consuming) the shard's partitions are assigned and
 * were read up to the end offsets they had when the replica started, so that a shard that is still
 * replaying its partitions takes no searches (and a rolling update of the shards waits for it).
 * Input topics whose partition counts split an item over shards are reported, not made DOWN.
 */
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
      PartitionCounts counts = m.partitionCounts();
      if (counts != null && counts.splitsItems()) {
        // Stays ready: the replica works, but Search sees an item's parts as separate documents.
        response.withData("partitionCountWarning", counts.warning());
      }
      response.withData("lagRecords", m.lag());
      if (!m.caughtUp()) {
        response.withData("catchingUp", true).down();
      }
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
