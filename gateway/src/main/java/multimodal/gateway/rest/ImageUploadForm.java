package multimodal.gateway.rest;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/** Multipart body of the endpoints that take one image (image search, analyze). */
public class ImageUploadForm {
  @RestForm("file")
  @Schema(type = SchemaType.STRING, format = "binary", required = true)
  public FileUpload file;
}
