package multimodal.retrieval.config;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import multimodal.retrieval.index.LuceneMediaIndex;

/** Opens the index at startup and commits it periodically; the final commit is on close. */
@ApplicationScoped
public class IndexCommitter {
  private final LuceneMediaIndex index;
  private final RetrievalConfig config;
  private ScheduledExecutorService timer;

  IndexCommitter(LuceneMediaIndex index, RetrievalConfig config) {
    this.index = index;
    this.config = config;
  }

  void start(@Observes StartupEvent event) {
    long millis = config.index().commitInterval().toMillis();
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "index-committer");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(this::commit, millis, millis, TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    if (timer != null) {
      timer.shutdown();
    }
  }

  private void commit() {
    try {
      index.commit();
    } catch (RuntimeException e) {
      Log.errorf(e, "index commit failed; retrying in %s", config.index().commitInterval());
    }
  }
}
