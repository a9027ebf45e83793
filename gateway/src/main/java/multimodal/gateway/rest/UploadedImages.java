package multimodal.gateway.rest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import multimodal.gateway.RequestRules;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * The bytes of a multipart image field, checked by the same rules as every image a caller supplies.
 */
final class UploadedImages {
  private UploadedImages() {}

  /**
   * The image's bytes: 400 without a file, else {@link RequestRules#image} (413 too large, 415 not
   * an image).
   */
  static byte[] read(FileUpload file, RequestRules rules) {
    if (file == null || file.uploadedFile() == null) {
      throw ApiProblem.badRequest("multipart field 'file' is required");
    }
    rules.imageSize(file.size()); // before reading a file that is too large anyway
    try {
      return rules.image(Files.readAllBytes(file.uploadedFile()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the uploaded file", e);
    }
  }
}
