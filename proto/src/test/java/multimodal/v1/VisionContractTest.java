package multimodal.v1;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.DynamicMessage;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The video additions to media.vision.v1, and that what v1 wrote before still reads. */
class VisionContractTest {

  /** An image vision event as a v1 generator wrote it before video (fields 1 to 14) reads alike. */
  @Test
  void imageVisionEventWrittenBeforeVideoStillReadsAlike() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeString(1, "photo-1");
    out.writeString(2, "acme");
    out.writeMessage(4, horse(0.54f));
    out.writeFloat(8, 0.02f);
    out.writeInt32(10, 400);
    out.writeInt64(13, 1234);
    out.flush();

    MediaVisionEvent event = MediaVisionEvent.parseFrom(bytes.toByteArray());

    assertThat(event.getObjectsList()).containsExactly(horse(0.54f));
    assertThat(event.getUnsafeScore()).isEqualTo(0.02f);
    assertThat(event.getSegmentsList()).isEmpty();
    assertThat(event.getDurationMs()).isZero();
    assertThat(event.hasUnsafeTime()).isFalse();
    assertThat(event.getUnknownFields().asMap()).isEmpty();
  }

  /**
   * A video event: the segments round-trip, and a reader that knows only fields 1 to 14 (an old
   * consumer, retrieval before video) still gets the item-level tags and the worst safety score.
   */
  @Test
  void videoVisionEventRoundTripsAndOldReadersSeeTheItemTags() throws Exception {
    TimeRange horseTime = TimeRange.newBuilder().setStartMs(2000).setEndMs(4000).build();
    MediaVisionEvent video =
        MediaVisionEvent.newBuilder()
            .setMediaId("film-1")
            .addObjects(horse(0.6f))
            .setUnsafeScore(0.3f)
            .setDurationMs(6000)
            .setUnsafeTime(horseTime)
            .setDecodeMicros(99)
            .addSegments(
                VisionSegment.newBuilder()
                    .setTime(TimeRange.newBuilder().setStartMs(0).setEndMs(2000)))
            .addSegments(
                VisionSegment.newBuilder()
                    .setTime(horseTime)
                    .addObjects(horse(0.6f))
                    .setUnsafeScore(0.3f))
            .build();

    MediaVisionEvent read = MediaVisionEvent.parseFrom(video.toByteArray());
    assertThat(read.getSegmentsList()).hasSize(2);
    assertThat(read.getSegments(1).getObjects(0).getLabel()).isEqualTo("horse");
    assertThat(read.getUnsafeTime()).isEqualTo(horseTime);

    DynamicMessage asOld =
        DynamicMessage.parseFrom(
            ContractHistory.before(MediaVisionEvent.getDescriptor(), 14), video.toByteArray());
    assertThat((List<?>) ContractHistory.field(asOld, "objects")).hasSize(1);
    assertThat(ContractHistory.field(asOld, "unsafe_score")).isEqualTo(0.3f);
    assertThat(asOld.getUnknownFields().asMap()).containsOnlyKeys(15, 16, 17, 18);
  }

  private static DetectedObject horse(float score) {
    return DetectedObject.newBuilder()
        .setLabel("horse")
        .setScore(score)
        .setBox(BoundingBox.newBuilder().setXMin(0.1f).setYMin(0.2f).setXMax(0.7f).setYMax(0.9f))
        .build();
  }
}
