package multimodal.gateway.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bulk-ingest progress file: item (absolute path or URL) → media id, stage and error. Written
 * to a temp file and moved into place after every change, so an interrupted run leaves a readable
 * file and a rerun sends nothing twice.
 */
final class IngestState {
  record Entry(String mediaId, BulkIngest.Stage stage, String error) {
    static Entry failed(String error) {
      return new Entry(null, BulkIngest.Stage.FAILED, error);
    }

    Entry withStage(BulkIngest.Stage next, String why) {
      return new Entry(mediaId, next, why);
    }
  }

  private final Path file;
  private final ObjectMapper json;
  private final Map<String, Entry> entries;

  private IngestState(Path file, ObjectMapper json, Map<String, Entry> entries) {
    this.file = file;
    this.json = json;
    this.entries = entries;
  }

  static IngestState load(Path file, ObjectMapper json) throws IOException {
    if (!Files.exists(file)) {
      return new IngestState(file, json, new LinkedHashMap<>());
    }
    Map<String, Entry> entries =
        json.readValue(file.toFile(), new TypeReference<LinkedHashMap<String, Entry>>() {});
    // On a rerun, refused items are sent again and timed-out ones followed again.
    entries
        .values()
        .removeIf(entry -> entry.stage() == BulkIngest.Stage.FAILED && entry.mediaId() == null);
    entries.replaceAll(
        (item, entry) ->
            entry.stage() == BulkIngest.Stage.FAILED
                ? entry.withStage(BulkIngest.Stage.SENT, null)
                : entry);
    return new IngestState(file, json, entries);
  }

  boolean known(String item) {
    return entries.containsKey(item);
  }

  Entry get(String item) {
    return entries.get(item);
  }

  void put(String item, Entry entry) {
    entries.put(item, entry);
  }

  Map<BulkIngest.Stage, Long> counts(List<String> items) {
    Map<BulkIngest.Stage, Long> counts = new EnumMap<>(BulkIngest.Stage.class);
    for (String item : items) {
      Entry entry = entries.get(item);
      if (entry != null) {
        counts.merge(entry.stage(), 1L, Long::sum);
      }
    }
    return counts;
  }

  void save() {
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path temp = Files.createTempFile(dir, file.getFileName().toString(), ".part");
      json.writerWithDefaultPrettyPrinter().writeValue(temp.toFile(), entries);
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the state file " + file, e);
    }
  }
}
