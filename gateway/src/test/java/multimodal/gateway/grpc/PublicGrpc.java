package multimodal.gateway.grpc;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.util.concurrent.TimeUnit;

/**
 * A client of the gateway's public gRPC API as the tests run it (127.0.0.1:18080, images up to 32
 * MiB).
 */
final class PublicGrpc {
  private PublicGrpc() {}

  static ManagedChannel open() {
    return NettyChannelBuilder.forAddress("127.0.0.1", 18080)
        .usePlaintext()
        .maxInboundMessageSize(32 << 20)
        .build();
  }

  static void close(ManagedChannel channel) throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  /** Metadata carrying an API key. */
  static Metadata key(String apiKey) {
    Metadata headers = new Metadata();
    headers.put(ApiKeyInterceptor.API_KEY, apiKey);
    return headers;
  }

  /** The stub, calling with this API key. */
  static <S extends AbstractStub<S>> S as(S stub, String apiKey) {
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(key(apiKey)));
  }
}
