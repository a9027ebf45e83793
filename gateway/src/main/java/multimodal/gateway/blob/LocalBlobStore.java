package multimodal.gateway.blob;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import multimodal.gateway.MediaIds;

/**
 * Blobs as files {@code <dir>/sha256/ab/abcdef...}: written to a temp file and moved into place, so
 * a reader never sees half a blob and concurrent uploads of the same bytes are harmless.
 */
public class LocalBlobStore implements BlobStore {
  private final Path root;

  public LocalBlobStore(Path dir) {
    this.root = dir.resolve("sha256");
    try {
      Files.createDirectories(root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create blob directory " + root, e);
    }
  }

  @Override
  public String put(byte[] bytes) {
    String hash = MediaIds.sha256(bytes);
    Path target = path(hash);
    if (Files.exists(target)) {
      renew(target);
      return hash;
    }
    try {
      Files.createDirectories(target.getParent());
      Path temp = Files.createTempFile(target.getParent(), hash, ".part");
      try {
        Files.write(temp, bytes);
        move(temp, target);
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store blob " + hash, e);
    }
    return hash;
  }

  @Override
  public String put(Path file) {
    try {
      Path temp = Files.createTempFile(root, "incoming-", ".part");
      try {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file);
            OutputStream out = new DigestOutputStream(Files.newOutputStream(temp), digest)) {
          in.transferTo(out);
        }
        String hash = HexFormat.of().formatHex(digest.digest());
        Path target = path(hash);
        if (Files.exists(target)) {
          renew(target);
        } else {
          Files.createDirectories(target.getParent());
          move(temp, target);
        }
        return hash;
      } finally {
        Files.deleteIfExists(temp);
      }
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256 in this JVM", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store the blob of " + file.getFileName(), e);
    }
  }

  @Override
  public Optional<Opened> open(String sha256) {
    if (!BlobStore.isAddress(sha256)) {
      return Optional.empty();
    }
    Path file = path(sha256);
    try {
      InputStream in = Files.newInputStream(file);
      try {
        return Optional.of(new Opened(in, Files.size(file)));
      } catch (IOException e) {
        in.close();
        throw e;
      }
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read blob " + sha256, e);
    }
  }

  @Override
  public Optional<byte[]> get(String sha256) {
    if (!BlobStore.isAddress(sha256)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readAllBytes(path(sha256)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read blob " + sha256, e);
    }
  }

  @Override
  public boolean exists(String sha256) {
    return BlobStore.isAddress(sha256) && Files.exists(path(sha256));
  }

  @Override
  public boolean delete(String sha256) {
    if (!BlobStore.isAddress(sha256)) {
      return false;
    }
    try {
      return Files.deleteIfExists(path(sha256));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete blob " + sha256, e);
    }
  }

  @Override
  public Map<String, Instant> list() {
    Map<String, Instant> blobs = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root, 2)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String name = file.getFileName().toString();
        if (BlobStore.isAddress(name)) {
          try {
            blobs.put(name, Files.getLastModifiedTime(file).toInstant());
          } catch (NoSuchFileException e) {
            // deleted meanwhile
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list blobs in " + root, e);
    }
    return blobs;
  }

  /** A re-upload renews the file's time, so the orphan sweep's grace period starts again. */
  private static void renew(Path target) {
    try {
      Files.setLastModifiedTime(target, FileTime.from(Instant.now()));
    } catch (NoSuchFileException e) {
      // deleted meanwhile: the caller's reference check decides (see StoredMedia)
    } catch (IOException e) {
      throw new UncheckedIOException("cannot renew blob " + target.getFileName(), e);
    }
  }

  private Path path(String hash) {
    return root.resolve(hash.substring(0, 2)).resolve(hash);
  }

  private static void move(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException e) {
      // Someone stored the same bytes first: same content, nothing to do.
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
