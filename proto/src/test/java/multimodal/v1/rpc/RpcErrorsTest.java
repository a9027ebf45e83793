package multimodal.v1.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import com.google.rpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class RpcErrorsTest {
  @Test
  void aRefusalCarriesItsCodeMessageErrorInfoFirstAndThenTheDetails() throws Exception {
    StatusRuntimeException refused =
        RpcErrors.status(
            Code.INVALID_ARGUMENT,
            "image.uri: must be http or https",
            "encoder.multimodal",
            "INVALID_INPUT",
            RpcErrors.badRequest("image.uri", "must be http or https"),
            RpcErrors.retryAfter(3));

    assertThat(refused.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
    assertThat(refused.getStatus().getDescription()).isEqualTo("image.uri: must be http or https");
    Status details = StatusProto.fromThrowable(refused);
    assertThat(details.getDetailsCount()).isEqualTo(3);
    ErrorInfo info = details.getDetails(0).unpack(ErrorInfo.class);
    assertThat(info.getDomain()).isEqualTo("encoder.multimodal");
    assertThat(info.getReason()).isEqualTo("INVALID_INPUT");
    BadRequest.FieldViolation violation =
        details.getDetails(1).unpack(BadRequest.class).getFieldViolations(0);
    assertThat(violation.getField()).isEqualTo("image.uri");
    assertThat(details.getDetails(2).unpack(RetryInfo.class).getRetryDelay().getSeconds())
        .isEqualTo(3);
  }

  @Test
  void unwrapsFutureWrappersButNotOtherCauses() {
    IllegalStateException cause = new IllegalStateException("x");
    assertThat(RpcErrors.unwrap(new CompletionException(new ExecutionException(cause))))
        .isSameAs(cause);
    RuntimeException wrapper = new RuntimeException(cause);
    assertThat(RpcErrors.unwrap(wrapper)).isSameAs(wrapper);
  }

  @Test
  void passesStatusesOnUnchanged() {
    StatusRuntimeException status = io.grpc.Status.NOT_FOUND.asRuntimeException();
    assertThat(RpcErrors.asStatus(status)).containsSame(status);
    assertThat(
            RpcErrors.asStatus(io.grpc.Status.CANCELLED.asException())
                .map(s -> s.getStatus().getCode()))
        .contains(io.grpc.Status.Code.CANCELLED);
    assertThat(RpcErrors.asStatus(new IllegalStateException())).isEmpty();
  }
}
