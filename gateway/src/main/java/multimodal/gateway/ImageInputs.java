package multimodal.gateway;

import com.google.protobuf.ByteString;
import jakarta.enterprise.context.ApplicationScoped;
import multimodal.gateway.blob.BlobStore;
import multimodal.gateway.blob.MediaRef;
import multimodal.gateway.blob.MediaRefs;
import multimodal.v1.ImageSource;
import multimodal.v1.ImageTarget;

/**
 * Turns "this image" (an item of the caller's tenant, or a URL) into what the backends take.
 * Retrieval looks media ids up itself, within the tenant; the generator gets the bytes from the
 * gateway's blob store, so it needs no access to blobs or the index.
 */
@ApplicationScoped
public class ImageInputs {
  private final MediaRefs refs;
  private final BlobStore blobs;

  ImageInputs(MediaRefs refs, BlobStore blobs) {
    this.refs = refs;
    this.blobs = blobs;
  }

  /** For RetrievalService (RankTexts, Classify). */
  public ImageTarget target(ImageInput input) {
    check(input);
    if (input.mediaId() != null) {
      return ImageTarget.newBuilder().setMediaId(input.mediaId()).build();
    }
    return ImageTarget.newBuilder().setImage(ImageSource.newBuilder().setUri(input.uri())).build();
  }

  /** For GeneratorService (Caption, Ask, OCR). */
  public ImageSource source(String tenant, ImageInput input) {
    check(input);
    if (input.uri() != null) {
      return ImageSource.newBuilder().setUri(input.uri()).build();
    }
    MediaRef ref =
        refs.find(tenant, input.mediaId())
            .orElseThrow(() -> RequestRefused.notFound(tenant, input.mediaId()));
    if (ref.blob() == null) {
      return ImageSource.newBuilder().setUri(ref.uri()).setClientId(ref.mediaId()).build();
    }
    byte[] bytes =
        blobs.get(ref.blob()).orElseThrow(() -> RequestRefused.notFound(tenant, input.mediaId()));
    return ImageSource.newBuilder()
        .setData(ByteString.copyFrom(bytes))
        .setClientId(ref.mediaId())
        .build();
  }

  private static void check(ImageInput input) {
    if (input == null || (input.mediaId() == null) == (input.uri() == null)) {
      throw RequestRefused.invalid("give exactly one of 'mediaId' and 'uri'");
    }
    if (input.mediaId() != null && !MediaIds.isValid(input.mediaId())) {
      throw RequestRefused.invalid("mediaId must match " + MediaIds.VALID.pattern());
    }
    if (input.uri() != null) {
      CallerUris.check(input.uri());
    }
  }

  /** One image: an item of the caller's tenant or an http(s) URL. */
  public interface ImageInput {
    String mediaId();

    String uri();
  }
}
