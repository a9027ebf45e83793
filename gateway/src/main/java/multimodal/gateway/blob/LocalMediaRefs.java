package multimodal.gateway.blob;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import multimodal.gateway.MediaIds;

/**
 * One small JSON file per media id under {@code <dir>/refs/}, named by the SHA-256 of the id (ids
 * may be "." or ".."). Claims are serialised in this JVM; replicas sharing the directory can race
 * on the very same new id, which the README notes.
 */
public class LocalMediaRefs implements MediaRefs {
  private final Path root;
  private final ObjectMapper json;

  public LocalMediaRefs(Path dir, ObjectMapper json) {
    this.root = dir.resolve("refs");
    this.json = json;
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + root, e);
    }
  }

  @Override
  public synchronized boolean claim(MediaRef ref) {
    Optional<MediaRef> existing = read(ref.mediaId());
    if (existing.isPresent() && !existing.get().tenant().equals(ref.tenant())) {
      return false;
    }
    Path target = path(ref.mediaId());
    try {
      Path temp = Files.createTempFile(root, "ref", ".part");
      try {
        json.writeValue(temp.toFile(), ref);
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record media " + ref.mediaId(), e);
    }
    return true;
  }

  @Override
  public Optional<MediaRef> find(String tenant, String mediaId) {
    return read(mediaId).filter(ref -> ref.tenant().equals(tenant));
  }

  @Override
  public boolean ownedByOther(String tenant, String mediaId) {
    return read(mediaId).map(ref -> !ref.tenant().equals(tenant)).orElse(false);
  }

  @Override
  public synchronized boolean remove(String tenant, String mediaId) {
    if (find(tenant, mediaId).isEmpty()) {
      return false;
    }
    try {
      return Files.deleteIfExists(path(mediaId));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot forget media " + mediaId, e);
    }
  }

  private Optional<MediaRef> read(String mediaId) {
    try {
      return Optional.of(json.readValue(Files.readAllBytes(path(mediaId)), MediaRef.class));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the record of media " + mediaId, e);
    }
  }

  private Path path(String mediaId) {
    return root.resolve(MediaIds.sha256(mediaId) + ".json");
  }
}
