package multimodal.gateway.rest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import multimodal.gateway.ImageFormat;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** The bytes of a multipart image field, checked the same way for every endpoint that takes one. */
final class UploadedImages {
  private UploadedImages() {}

  /** The image's bytes: 400 without a file, 413 above maxBytes, 415 when the bytes are no known image format. */
  static byte[] read(FileUpload file, long maxBytes) {
    if (file == null || file.uploadedFile() == null) {
      throw ApiProblem.badRequest("multipart field 'file' is required");
    }
    if (file.size() > maxBytes) {
      throw new ApiProblem(413, "media-too-large", "Media too large", "the image is larger than " + maxBytes + " bytes");
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file.uploadedFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the uploaded file", e);
    }
    if (ImageFormat.sniff(bytes).isEmpty()) {
      throw new ApiProblem(415, "unsupported-media-type", "Unsupported media type", "the file is not a JPEG, PNG, GIF, BMP, WebP or TIFF image");
    }
    return bytes;
  }
}
