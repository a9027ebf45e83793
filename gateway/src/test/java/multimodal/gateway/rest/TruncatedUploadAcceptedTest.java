package multimodal.gateway.rest;

import static multimodal.gateway.rest.TestKeys.asDefault;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import multimodal.devkit.kafka.KafkaBrokerTestResource;
import multimodal.gateway.grpc.FakeBackendsTestResource;
import org.junit.jupiter.api.Test;

/**
 * With gateway.upload.allow-truncated a truncated upload is taken in, and its status says what it
 * is.
 */
@QuarkusTest
@TestProfile(TruncatedUploadAcceptedTest.AllowTruncated.class)
@WithTestResource(KafkaBrokerTestResource.class)
@WithTestResource(FakeBackendsTestResource.class)
class TruncatedUploadAcceptedTest {
  public static class AllowTruncated implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("gateway.upload.allow-truncated", "true");
    }
  }

  @Test
  void theStatusOfAnAcceptedTruncatedUploadSaysItIsTruncated() throws IOException {
    byte[] rocket = Files.readAllBytes(Path.of("../testdata/images/rocket.jpg"));
    String cutId = "cut-" + UUID.randomUUID();
    String wholeId = "whole-" + UUID.randomUUID();

    asDefault()
        .multiPart("file", "cut.jpg", Arrays.copyOf(rocket, rocket.length / 2), "image/jpeg")
        .multiPart("mediaId", cutId)
        .post("/v1/media")
        .then()
        .statusCode(202);
    asDefault()
        .multiPart("file", "rocket.jpg", rocket, "image/jpeg")
        .multiPart("mediaId", wholeId)
        .post("/v1/media")
        .then()
        .statusCode(202);

    asDefault()
        .get("/v1/media/{id}", cutId)
        .then()
        .statusCode(200)
        .body("state", equalTo("accepted"))
        .body(
            "imageTruncated", containsString("the JPEG data ends before its end-of-image marker"));
    asDefault()
        .get("/v1/media/{id}", wholeId)
        .then()
        .statusCode(200)
        .body("imageTruncated", nullValue());
  }
}
