package multimodal.gateway.rest;

import static multimodal.gateway.rest.TestKeys.asDefault;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import multimodal.devkit.kafka.KafkaBrokerTestResource;
import multimodal.gateway.grpc.FakeBackendsTestResource;
import multimodal.media.video.TestVideos;
import multimodal.v1.Limits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In inline mode the event carries the bytes, so a video over the inline limit (one Kafka record)
 * is refused with 413, saying that claim-check mode takes it, instead of being published.
 */
@QuarkusTest
@TestProfile(InlineLargeMediaTest.Inline.class)
@WithTestResource(KafkaBrokerTestResource.class)
@WithTestResource(FakeBackendsTestResource.class)
class InlineLargeMediaTest {
  public static class Inline implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("gateway.ingest.payload", "inline");
    }
  }

  @Test
  void aVideoOverTheInlineLimitIsRefusedNamingClaimCheckMode(@TempDir Path dir) throws IOException {
    long size = Limits.IMAGE_MAX_BYTES + 1024 * 1024;
    Path video =
        TestVideos.paddedMp4(TestVideos.mp4(1, "horse.png"), size, dir.resolve("large.mp4"));

    asDefault()
        .multiPart("file", video.toFile(), "video/mp4")
        .post("/v1/media")
        .then()
        .statusCode(413)
        .contentType("application/problem+json")
        .body(
            "detail",
            equalTo(
                "the video/mp4 file has "
                    + size
                    + " bytes; the limit is "
                    + Limits.IMAGE_MAX_BYTES
                    + " in inline mode (gateway.ingest.payload=inline: the event carries the"
                    + " bytes, and a Kafka record holds "
                    + Limits.IMAGE_MAX_BYTES
                    + " bytes of them); larger audio and video need"
                    + " gateway.ingest.payload=claim-check"));
    Files.deleteIfExists(video);
  }
}
