package multimodal.gateway.rest;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** The multipart/form-data body of {@code POST /v1/media}. */
public class UploadForm {
  @RestForm("file")
  @Schema(
      type = SchemaType.STRING,
      format = "binary",
      required = true,
      description =
          "An image (JPEG, PNG, GIF, BMP, WebP or TIFF; up to gateway.upload.max-bytes, 16 MiB),"
              + " a recording (WAV, MP3, Ogg, FLAC) or a video (MP4, WebM) (up to"
              + " gateway.upload.audio-video-max-bytes, 512 MiB), judged by its content.")
  public FileUpload file;

  @RestForm
  @Schema(
      description =
          "Media id ([A-Za-z0-9._:-]{1,128}); default is the hex SHA-256 of the bytes, so"
              + " re-uploads dedupe.")
  public String mediaId;

  @RestForm
  @Schema(description = "Tags, usable as filters; repeat the field for several.")
  public List<String> tags;

  @RestForm
  @Schema(
      description = "Producer metadata as a JSON object of strings, numbers or booleans.",
      examples = "{\"source\":\"camera-7\"}")
  public String metadata;
}
