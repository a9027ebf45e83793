package multimodal.retrieval.config;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import multimodal.retrieval.index.LuceneMediaIndex;

/** Opens the one index of this process and closes it (with a final commit) on shutdown. */
@ApplicationScoped
public class IndexProducer {

  /** The index's settings from {@code retrieval.index.*}; refuses an unknown vector encoding. */
  public static LuceneMediaIndex.Settings settings(RetrievalConfig config) {
    String encoding = config.index().vectorEncoding();
    if (!encoding.equals("float32") && !encoding.equals("int8")) {
      throw new IllegalArgumentException(
          "retrieval.index.vector-encoding must be float32 or int8, got " + encoding);
    }
    return new LuceneMediaIndex.Settings(
        config.index().hnswM(),
        config.index().hnswEfConstruction(),
        encoding.equals("int8"),
        64,
        config.index().tombstoneRetention());
  }

  @Produces
  @Singleton
  LuceneMediaIndex index(RetrievalConfig config) {
    Path dir = Path.of(config.index().dir()).toAbsolutePath();
    try {
      LuceneMediaIndex index = LuceneMediaIndex.open(dir, settings(config));
      if (config.index().rebuild()) {
        index.clear();
        Log.infof(
            "retrieval.index.rebuild=true: emptied index %s; replaying the topics from the"
                + " beginning",
            dir);
      }
      Log.infof(
          "opened index %s: %d documents, offsets %s",
          dir, index.documentCount(), index.appliedOffsets());
      return index;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the index at " + dir, e);
    }
  }

  void close(@Disposes LuceneMediaIndex index) {
    try {
      index.close();
      Log.infof("closed index %s", index.path());
    } catch (IOException e) {
      Log.errorf(
          e, "closing index %s failed; uncommitted changes are replayed from Kafka", index.path());
    }
  }
}
