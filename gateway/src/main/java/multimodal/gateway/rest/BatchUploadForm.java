package multimodal.gateway.rest;

import java.util.List;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** The multipart/form-data body of {@code POST /v1/media/batch}. */
public class BatchUploadForm {
  @RestForm("file")
  @Schema(
      type = SchemaType.ARRAY,
      implementation = String.class,
      format = "binary",
      description = "The images; repeat the field.")
  public List<FileUpload> files;

  @RestForm
  @Schema(description = "Tags for every image; repeat the field.")
  public List<String> tags;

  @RestForm
  @Schema(description = "Metadata for every image, a JSON object.")
  public String metadata;
}
