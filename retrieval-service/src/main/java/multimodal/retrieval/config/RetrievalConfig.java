package multimodal.retrieval.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Knobs of the retrieval service ({@code retrieval.*}). */
@ConfigMapping(prefix = "retrieval")
public interface RetrievalConfig {
  Index index();

  Search search();

  Encoder encoder();

  interface Index {
    /** Directory of the Lucene index; created when missing. One process per directory. */
    @WithDefault(".local/data/retrieval-index")
    String dir();

    /** How often pending index changes (and applied Kafka offsets) are committed to disk. */
    @WithDefault("2s")
    Duration commitInterval();
  }

  interface Search {
    /**
     * Model name searched when a media-id or embedding query names none; its newest indexed
     * version is used. When no vector of this name exists, the newest version of any name is used.
     */
    @WithDefault("clip")
    String defaultModel();

    /** Results returned when a request asks for k = 0. */
    @WithDefault("10")
    int defaultK();

    /** Largest k a request may ask for. */
    @WithDefault("1000")
    int maxK();

    /** Tenant used when a request or event names none (same as media.ingest.v1's default). */
    @WithDefault("default")
    String defaultTenant();
  }

  interface Encoder {
    /** Deadline of one EncoderService call made to embed a query. */
    @WithDefault("5s")
    Duration timeout();
  }
}
