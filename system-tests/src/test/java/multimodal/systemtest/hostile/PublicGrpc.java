package multimodal.systemtest.hostile;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.util.concurrent.TimeUnit;
import multimodal.v1.CaptionRequest;
import multimodal.v1.GeneratorServiceGrpc;
import multimodal.v1.ImageSource;
import multimodal.v1.MediaServiceGrpc;
import multimodal.v1.RetrievalServiceGrpc;

/**
 * The gateway's public gRPC API (same port as REST) with one API key in the metadata, and any extra
 * metadata an attacker adds.
 */
final class PublicGrpc implements AutoCloseable {
  private final ManagedChannel channel;
  private final Metadata metadata;

  private PublicGrpc(ManagedChannel channel, Metadata metadata) {
    this.channel = channel;
    this.metadata = metadata;
  }

  static PublicGrpc open(HostileWorld world, String apiKey, String... extraMetadata) {
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress(
                "127.0.0.1", world.platform().port(multimodal.systemtest.RunningPlatform.GATEWAY))
            .usePlaintext()
            .maxInboundMessageSize(64 * 1024 * 1024)
            .build();
    Metadata metadata = new Metadata();
    if (apiKey != null) {
      metadata.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), apiKey);
    }
    for (int i = 0; i + 1 < extraMetadata.length; i += 2) {
      metadata.put(
          Metadata.Key.of(extraMetadata[i], Metadata.ASCII_STRING_MARSHALLER),
          extraMetadata[i + 1]);
    }
    return new PublicGrpc(channel, metadata);
  }

  RetrievalServiceGrpc.RetrievalServiceBlockingStub retrieval() {
    return RetrievalServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  GeneratorServiceGrpc.GeneratorServiceBlockingStub generator() {
    return GeneratorServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  MediaServiceGrpc.MediaServiceBlockingStub media() {
    return MediaServiceGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(metadata))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  /** Caption of one image URL, which must fail; the failure. */
  StatusRuntimeException captionFails(String uri) {
    CaptionRequest request =
        CaptionRequest.newBuilder().addImages(ImageSource.newBuilder().setUri(uri)).build();
    return assertThrows(StatusRuntimeException.class, () -> generator().caption(request));
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
