package multimodal.modelimport.build;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** npm's Subresource Integrity strings ("sha512-" + base64 of the tarball's SHA-512). */
final class Integrity {

  private Integrity() {}

  static String sha512(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-512");
      byte[] buf = new byte[1 << 16];
      for (int r; (r = in.read(buf)) > 0; ) md.update(buf, 0, r);
      return "sha512-" + Base64.getEncoder().encodeToString(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-512", e);
    }
  }
}
