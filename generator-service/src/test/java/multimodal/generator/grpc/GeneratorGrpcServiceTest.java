package multimodal.generator.grpc;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.hamcrest.Matchers.equalTo;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import multimodal.v1.AskRequest;
import multimodal.v1.CaptionRequest;
import multimodal.v1.GeneratorService;
import multimodal.v1.ImageSource;
import multimodal.v1.OcrRequest;
import org.junit.jupiter.api.Test;

@QuarkusTest
class GeneratorGrpcServiceTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final ImageSource IMAGE =
      ImageSource.newBuilder().setData(ByteString.copyFromUtf8("not decoded yet")).build();

  @GrpcClient("generator")
  GeneratorService client;

  @Test
  void isLiveAndReadyWithoutKafkaOrModels() {
    given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
  }

  @Test
  void servesPrometheusMetrics() {
    given().when().get("/q/metrics").then().statusCode(200);
  }

  @Test
  void captionFailsWithUnimplementedNamingIssue5() {
    StatusRuntimeException error =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> client.caption(CaptionRequest.newBuilder().addImages(IMAGE).build()).await().atMost(WAIT));

    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
    assertThat(error.getStatus().getDescription()).startsWith("Caption is not implemented yet").contains("issue 5");
  }

  @Test
  void askStreamFailsWithUnimplementedNamingIssue5() {
    StatusRuntimeException error =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () ->
                client
                    .ask(AskRequest.newBuilder().setImage(IMAGE).setQuestion("what colour?").build())
                    .collect()
                    .asList()
                    .await()
                    .atMost(WAIT));

    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
    assertThat(error.getStatus().getDescription()).startsWith("Ask is not implemented yet").contains("issue 5");
  }

  @Test
  void ocrFailsWithUnimplementedNamingIssue5() {
    StatusRuntimeException error =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> client.ocr(OcrRequest.newBuilder().addImages(IMAGE).build()).await().atMost(WAIT));

    assertThat(error.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED);
    assertThat(error.getStatus().getDescription()).startsWith("Ocr is not implemented yet").contains("issue 5");
  }
}
