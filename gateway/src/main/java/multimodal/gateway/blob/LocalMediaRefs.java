package multimodal.gateway.blob;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import multimodal.gateway.MediaIds;

/**
 * One small JSON file per media id under {@code <dir>/refs/}, named by the SHA-256 of the id (ids
 * may be "." or ".."). Claims are serialised in this JVM; replicas sharing the directory can race
 * on the very same new id, which the README notes.
 *
 * <p>Which tenant holds which blob is kept beside them as empty marker files, {@code
 * refs/by-blob/<blob>/<sha256 of tenant>/<sha256 of media id>}, so {@link #holdsBlob} is one
 * directory look-up. Directories written before the markers existed get them once, at start.
 */
public class LocalMediaRefs implements MediaRefs {
  private final Path root;
  private final Path byBlob;
  private final ObjectMapper json;

  public LocalMediaRefs(Path dir, ObjectMapper json) {
    this.root = dir.resolve("refs");
    this.byBlob = root.resolve("by-blob");
    this.json = json;
    try {
      Files.createDirectories(root);
      indexExistingRefs();
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
    // The marker first: an event is issued only after claim, and its URL must then be readable.
    mark(ref);
    existing
        .filter(old -> old.blob() != null && !old.blob().equals(ref.blob()))
        .ifPresent(this::unmark);
    Path target = path(ref.mediaId());
    try {
      Path temp = Files.createTempFile(root, "ref", ".part");
      try {
        json.writeValue(temp.toFile(), ref);
        Files.move(
            temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
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
  public boolean holdsBlob(String tenant, String sha256) {
    if (!BlobStore.isAddress(sha256) || tenant == null) {
      return false;
    }
    try (Stream<Path> items = Files.list(byBlob.resolve(sha256).resolve(MediaIds.sha256(tenant)))) {
      return items.findAny().isPresent();
    } catch (NoSuchFileException | NotDirectoryException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the owners of blob " + sha256, e);
    }
  }

  @Override
  public boolean referenced(String sha256) {
    if (!BlobStore.isAddress(sha256)) {
      return false;
    }
    // Markers, not directories: a crash inside unmark can leave an empty directory behind.
    try (Stream<Path> markers = Files.walk(byBlob.resolve(sha256), 2)) {
      return markers.anyMatch(Files::isRegularFile);
    } catch (NoSuchFileException | NotDirectoryException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the owners of blob " + sha256, e);
    }
  }

  @Override
  public Set<String> recordedBlobs() {
    Set<String> blobs = new HashSet<>();
    try (Stream<Path> files = Files.list(root)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
        try {
          String blob = json.readValue(Files.readAllBytes(file), MediaRef.class).blob();
          if (blob != null) {
            blobs.add(blob);
          }
        } catch (NoSuchFileException e) {
          // forgotten meanwhile
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the media records in " + root, e);
    }
    return blobs;
  }

  @Override
  public synchronized boolean remove(String tenant, String mediaId) {
    Optional<MediaRef> ref = find(tenant, mediaId);
    if (ref.isEmpty()) {
      return false;
    }
    try {
      boolean removed = Files.deleteIfExists(path(mediaId));
      unmark(ref.get());
      return removed;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot forget media " + mediaId, e);
    }
  }

  private Path marker(MediaRef ref) {
    return byBlob
        .resolve(ref.blob())
        .resolve(MediaIds.sha256(ref.tenant()))
        .resolve(MediaIds.sha256(ref.mediaId()));
  }

  private void mark(MediaRef ref) {
    if (!BlobStore.isAddress(ref.blob())) {
      return;
    }
    Path marker = marker(ref);
    try {
      Files.createDirectories(marker.getParent());
      if (!Files.exists(marker)) {
        Files.createFile(marker);
      }
    } catch (FileAlreadyExistsException e) {
      // another claim of the same item wrote it first
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record the owner of blob " + ref.blob(), e);
    }
  }

  /** Removes the item's marker and the directories it leaves empty. */
  private void unmark(MediaRef ref) {
    if (!BlobStore.isAddress(ref.blob())) {
      return;
    }
    Path marker = marker(ref);
    try {
      Files.deleteIfExists(marker);
      for (Path dir = marker.getParent(); !dir.equals(byBlob); dir = dir.getParent()) {
        Files.deleteIfExists(dir);
      }
    } catch (DirectoryNotEmptyException e) {
      // another item still holds the blob
    } catch (IOException e) {
      throw new UncheckedIOException("cannot forget the owner of blob " + ref.blob(), e);
    }
  }

  /** Once per directory: markers for the refs written before markers existed. */
  private void indexExistingRefs() throws IOException {
    Path done = root.resolve("by-blob.ready");
    if (Files.exists(done)) {
      return;
    }
    try (Stream<Path> files = Files.list(root)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).toList()) {
        mark(json.readValue(Files.readAllBytes(file), MediaRef.class));
      }
    }
    try {
      Files.createFile(done);
    } catch (FileAlreadyExistsException e) {
      // a replica sharing the directory indexed it at the same time
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
