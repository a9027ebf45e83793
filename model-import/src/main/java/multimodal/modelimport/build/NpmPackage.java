package multimodal.modelimport.build;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * A pinned npm package: fetched by name and version with the ordinary npm client into a cache,
 * checked against its published integrity, and unpacked selectively. A cached tarball with the
 * right hash is used without npm.
 */
record NpmPackage(String name, String version, String integrity) {

  /** The file name `npm pack` writes: "@scope/name" becomes "scope-name". */
  String tarballName() {
    return name.replaceFirst("^@", "").replace('/', '-') + "-" + version + ".tgz";
  }

  String spec() {
    return name + "@" + version;
  }

  Path fetch(Path cacheDir) throws IOException, InterruptedException {
    Files.createDirectories(cacheDir);
    Path tgz = cacheDir.resolve(tarballName());
    if (Files.exists(tgz) && Integrity.sha512(tgz).equals(integrity)) return tgz;
    Path staging = Files.createTempDirectory(cacheDir, "pack");
    try {
      List<String> cmd =
          List.of("npm", "pack", spec(), "--pack-destination", staging.toString(), "--silent");
      Process p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.INHERIT)
              .start();
      if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException(
            "`"
                + String.join(" ", cmd)
                + "` failed (is npm installed and the registry reachable?)");
      }
      Path packed = staging.resolve(tarballName());
      if (!Files.exists(packed)) throw new IOException("npm pack did not write " + packed);
      verify(packed);
      return Files.move(
          packed, tgz, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      try (var files = Files.list(staging)) {
        for (Path f : files.toList()) Files.deleteIfExists(f);
      }
      Files.deleteIfExists(staging);
    }
  }

  /** Refuses a tarball whose SHA-512 differs from the pinned integrity. */
  void verify(Path tgz) throws IOException {
    String actual = Integrity.sha512(tgz);
    if (!actual.equals(integrity)) {
      throw new IOException(
          "integrity mismatch for "
              + spec()
              + ": expected "
              + integrity
              + " (pinned in model-import/pom.xml) but "
              + tgz.getFileName()
              + " has "
              + actual
              + "; refusing to use it");
    }
  }

  /**
   * Extracts the named entries (paths inside the tarball, e.g. "package/LICENSE") under {@code
   * target}.
   */
  static void extract(Path tgz, Set<String> entries, Path target) throws IOException {
    int found = 0;
    try (InputStream in =
        new TarArchiveInputStream(new GzipCompressorInputStream(Files.newInputStream(tgz)))) {
      TarArchiveInputStream tar = (TarArchiveInputStream) in;
      for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
        if (!e.isFile() || !entries.contains(e.getName())) continue;
        Path out = target.resolve(e.getName()).normalize();
        if (!out.startsWith(target))
          throw new IOException("tar entry escapes the target: " + e.getName());
        Files.createDirectories(out.getParent());
        Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
        found++;
      }
    }
    if (found != entries.size()) throw new IOException(tgz + " lacks some of " + entries);
  }
}
