package multimodal.encoder.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtException;
import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.google.rpc.ResourceInfo;
import com.google.rpc.RetryInfo;
import com.google.rpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.List;
import java.util.concurrent.CompletionException;
import multimodal.encoder.InvalidInputException;
import multimodal.encoder.ModelNotReadyException;
import multimodal.encoder.UnknownModelException;
import multimodal.encoder.batching.DeadlineExpiredException;
import multimodal.encoder.batching.OverloadedException;
import org.junit.jupiter.api.Test;

class GrpcErrorsTest {

  @Test
  void mapsInvalidInputToInvalidArgumentWithBadRequestNamingTheItem() throws Exception {
    Status status = status(new InvalidInputException("images[2]", "not a decodable image"));

    assertThat(status.getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT.value());
    BadRequest badRequest = detail(status, BadRequest.class);
    assertThat(badRequest.getFieldViolations(0).getField()).isEqualTo("images[2]");
    assertThat(badRequest.getFieldViolations(0).getDescription())
        .isEqualTo("not a decodable image");
    assertThat(detail(status, ErrorInfo.class).getDomain()).isEqualTo(GrpcErrors.DOMAIN);
  }

  @Test
  void mapsUnknownModelToNotFoundWithResourceInfo() throws Exception {
    Status status = status(new UnknownModelException("siglip", List.of("clip")));

    assertThat(status.getCode()).isEqualTo(io.grpc.Status.Code.NOT_FOUND.value());
    assertThat(detail(status, ResourceInfo.class).getResourceName()).isEqualTo("siglip");
  }

  @Test
  void mapsNotReadyToUnavailableWithRetryInfo() throws Exception {
    Status status =
        status(new CompletionException(new ModelNotReadyException("models are still loading")));

    assertThat(status.getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE.value());
    assertThat(detail(status, RetryInfo.class).getRetryDelay().getSeconds()).isPositive();
    assertThat(detail(status, ErrorInfo.class).getReason()).isEqualTo("MODEL_NOT_LOADED");
  }

  @Test
  void mapsOrtExceptionToInternalWithoutItsMessage() throws Exception {
    Status status = status(new RuntimeException(new OrtException("secret native detail")));

    assertThat(status.getCode()).isEqualTo(io.grpc.Status.Code.INTERNAL.value());
    assertThat(status.getMessage()).doesNotContain("secret");
    assertThat(detail(status, ErrorInfo.class).getReason()).isEqualTo("INFERENCE_FAILED");
  }

  @Test
  void mapsAFullBatchQueueToResourceExhaustedWithRetryInfo() throws Exception {
    Status status =
        status(new OverloadedException("batch queue of clip-image is full (1024 items)"));

    assertThat(status.getCode()).isEqualTo(io.grpc.Status.Code.RESOURCE_EXHAUSTED.value());
    assertThat(detail(status, RetryInfo.class).getRetryDelay().getSeconds()).isPositive();
    assertThat(detail(status, ErrorInfo.class).getReason()).isEqualTo("OVERLOADED");
  }

  @Test
  void mapsAnExpiredDeadlineToDeadlineExceeded() {
    Status status =
        status(
            new java.util.concurrent.CompletionException(
                new DeadlineExpiredException("deadline passed while queued")));

    assertThat(status.getCode()).isEqualTo(io.grpc.Status.Code.DEADLINE_EXCEEDED.value());
  }

  private static Status status(Throwable error) {
    StatusRuntimeException exception = GrpcErrors.toStatusException(error);
    return StatusProto.fromThrowable(exception);
  }

  private static <T extends com.google.protobuf.Message> T detail(Status status, Class<T> type)
      throws Exception {
    for (Any any : status.getDetailsList()) {
      if (any.is(type)) {
        return any.unpack(type);
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " in " + status.getDetailsList());
  }
}
