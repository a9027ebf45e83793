package multimodal.v1;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.DynamicMessage;
import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The video additions to media.caption.v1 and GetMedia, and that what v1 wrote before still reads.
 */
class CaptionContractTest {

  /**
   * An image caption event as a v1 generator wrote it before video (fields 1 to 12 only, written
   * field by field as that producer's code did) reads as it did: no segments, no duration.
   */
  @Test
  void imageCaptionEventWrittenBeforeVideoStillReadsAlike() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeString(1, "photo-1");
    out.writeString(2, "acme");
    out.writeString(3, "e-1");
    out.writeString(4, "a red square");
    out.writeString(5, "caption");
    out.writeString(6, "fixture-caption-1");
    out.writeString(7, "EXIT 12");
    out.writeString(8, "tesseract 5.3.0");
    out.writeInt64(10, 1234);
    out.writeInt64(11, 567);
    out.writeBool(12, true);
    out.flush();

    MediaCaptionEvent event = MediaCaptionEvent.parseFrom(bytes.toByteArray());

    assertThat(event.getCaption()).isEqualTo("a red square");
    assertThat(event.getOcrText()).isEqualTo("EXIT 12");
    assertThat(event.getCaptionModelFixture()).isTrue();
    assertThat(event.getSegmentsList()).isEmpty();
    assertThat(event.getDurationMs()).isZero();
    assertThat(event.getUnknownFields().asMap()).isEmpty();
  }

  /**
   * A video event: the segments round-trip, and a reader that knows only fields 1 to 12 (an old
   * consumer) still gets the summary caption and OCR text, the new fields being unknown to it.
   */
  @Test
  void videoCaptionEventRoundTripsAndOldReadersSeeTheSummary() throws Exception {
    MediaCaptionEvent video =
        MediaCaptionEvent.newBuilder()
            .setMediaId("film-1")
            .setCaption("a red square\na blue circle")
            .setOcrText("OPEN 42")
            .setDurationMs(6000)
            .addSegments(segment(0, 2000, "a red square", ""))
            .addSegments(segment(2000, 4000, "a black square", "OPEN 42"))
            .addSegments(segment(4000, 6000, "a blue circle", ""))
            .build();

    MediaCaptionEvent read = MediaCaptionEvent.parseFrom(video.toByteArray());
    assertThat(read.getSegmentsList()).hasSize(3);
    assertThat(read.getSegments(1).getOcrText()).isEqualTo("OPEN 42");
    assertThat(read.getSegments(1).getTime().getStartMs()).isEqualTo(2000);
    assertThat(read.getDurationMs()).isEqualTo(6000);

    // An old consumer: MediaCaptionEvent as it was before video, without fields 13 and 14.
    DynamicMessage asOld =
        DynamicMessage.parseFrom(
            ContractHistory.before(MediaCaptionEvent.getDescriptor(), 12), video.toByteArray());
    assertThat(ContractHistory.field(asOld, "caption")).isEqualTo("a red square\na blue circle");
    assertThat(ContractHistory.field(asOld, "ocr_text")).isEqualTo("OPEN 42");
    assertThat(asOld.getUnknownFields().asMap()).containsOnlyKeys(13, 14);
  }

  @Test
  void getMediaWithoutKeyframeCaptionsStillReads() throws Exception {
    GetMediaResponse old = GetMediaResponse.newBuilder().setMediaId("m").setCaption("c").build();
    assertThat(GetMediaResponse.parseFrom(old.toByteArray()).getKeyframeCaptionsList()).isEmpty();
    GetMediaResponse video =
        old.toBuilder().addKeyframeCaptions(segment(0, 1500, "a cat", "MEOW")).build();
    assertThat(GetMediaResponse.parseFrom(video.toByteArray()).getKeyframeCaptions(0).getOcrText())
        .isEqualTo("MEOW");
  }

  private static CaptionSegment segment(long start, long end, String caption, String ocr) {
    return CaptionSegment.newBuilder()
        .setTime(TimeRange.newBuilder().setStartMs(start).setEndMs(end))
        .setCaption(caption)
        .setOcrText(ocr)
        .build();
  }
}
