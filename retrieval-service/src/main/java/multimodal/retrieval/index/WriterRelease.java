package multimodal.retrieval.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.store.Directory;
import org.jboss.logging.Logger;

/**
 * Closes the index writer and its directory: {@code IndexWriter.close()} (which waits for running
 * merges and commits what they finished), or with {@code rollback} {@code IndexWriter.rollback()},
 * which drops uncommitted changes and aborts running merges. Lucene 10.6 checks a merge's abort
 * flag before each node a graph build inserts (apache/lucene#16368), but a graph join's
 * initialisation and repair still run unchecked (apache/lucene#16620, after 10.6), so a rollback
 * can still wait minutes for a big merge: it gets a bounded wait, then the process goes on without
 * it (the last commit holds everything; the merge's files are never committed).
 */
final class WriterRelease {
  private static final Logger LOG = Logger.getLogger(LuceneMediaIndex.class);

  private WriterRelease() {}

  static void close(IndexWriter writer, Directory directory) throws IOException {
    try {
      writer.close();
    } finally {
      directory.close();
    }
  }

  static void rollbackWithin(IndexWriter writer, Directory directory, Path path, Duration wait)
      throws IOException {
    CompletableFuture<Void> done =
        CompletableFuture.runAsync(
            () -> {
              try {
                try {
                  writer.rollback();
                } finally {
                  directory.close();
                }
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            runnable -> {
              Thread t = new Thread(runnable, "index-rollback");
              t.setDaemon(true);
              t.start();
            });
    try {
      done.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.warnf(
          "index %s: a force-merge is still building its HNSW graph after %d s; not waiting for it"
              + " (the last commit is intact)",
          path, wait.toSeconds());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof UncheckedIOException u
          ? u.getCause()
          : new IOException(e.getCause());
    }
  }
}
