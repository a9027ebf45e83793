package multimodal.retrieval.messaging;

import static multimodal.retrieval.TestVision.event;
import static multimodal.retrieval.TestVision.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import multimodal.retrieval.IndexChange;
import multimodal.retrieval.TestVision;
import multimodal.v1.ClassScore;
import multimodal.v1.Embedding;
import multimodal.v1.MediaCaptionEvent;
import multimodal.v1.MediaEmbeddingEvent;
import multimodal.v1.MediaVisionEvent;
import multimodal.v1.Topics;
import org.junit.jupiter.api.Test;

/**
 * media.vision.v1 records and the fixture flags of the other topics, decoded or rejected with a
 * reason.
 */
class VisionRecordDecoderTest {
  final RecordDecoder decoder = new RecordDecoder("default");

  @Test
  void refusesADefaultTenantOutsideTheGrammarAtStart() {
    assertThatThrownBy(() -> new RecordDecoder("Mixed.Co"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("retrieval.search.default-tenant must match")
        .hasMessageContaining("'Mixed.Co'");
  }

  @Test
  void decodesAVisionEventIntoAnAnalysedChange() {
    MediaVisionEvent e = event("m1", "", 0.3f, object("horse", 0.54f), object("person", 0.31f));

    IndexChange change = decode("m1", e.toByteArray());

    assertThat(change)
        .isInstanceOfSatisfying(
            IndexChange.Analysed.class,
            a -> {
              assertThat(a.mediaId()).isEqualTo("m1");
              assertThat(a.tenant()).isEqualTo("default");
              assertThat(a.vision().labels()).containsExactly("horse", "person");
              assertThat(a.vision().objects().get(0).getBox()).isEqualTo(e.getObjects(0).getBox());
              assertThat(a.vision().scored()).isTrue();
              assertThat(a.vision().unsafeScore()).isEqualTo(0.3f);
              assertThat(a.vision().detector()).isEqualTo(TestVision.DETECTOR);
              assertThat(a.vision().imageWidth()).isEqualTo(640);
            });
    IndexChange noSafety = decode("m2", event("m2", "acme", Float.NaN).toByteArray());
    assertThat(((IndexChange.Analysed) noSafety).vision().scored()).isFalse();
    assertThat(((IndexChange.Analysed) noSafety).vision().safetyModel()).isNull();
  }

  @Test
  void rejectsVisionEventsTheIndexCannotHoldWithTheReason() {
    MediaVisionEvent good = event("m1", "", 0.3f, object("horse", 0.54f));
    assertRejected("m1", null, "null value: media.vision.v1 has no tombstones");
    assertRejected("m1", new byte[] {(byte) 0xff, (byte) 0xff}, "not a MediaVisionEvent");
    assertRejected("other", good.toByteArray(), "key 'other' differs from media_id 'm1'");
    assertRejected(
        "m1",
        good.toBuilder().setObjects(0, object(" ", 0.5f)).build().toByteArray(),
        "objects[0].label is empty");
    assertRejected(
        "m1",
        good.toBuilder().setObjects(0, object("horse", 1.5f)).build().toByteArray(),
        "objects[0].score must be in [0, 1]");
    assertRejected(
        "m1",
        good.toBuilder().setUnsafeScore(Float.NaN).build().toByteArray(),
        "unsafe_score must be in [0, 1]");
    assertRejected(
        "m1",
        good.toBuilder().setUnsafeScore(-0.1f).build().toByteArray(),
        "unsafe_score must be in [0, 1]");
    assertRejected(
        "m1",
        good.toBuilder().addSafety(ClassScore.newBuilder().setScore(0.1f)).build().toByteArray(),
        "safety[5].label is empty");
    assertRejected(
        "m1",
        good.toBuilder().setImageWidth(-1).build().toByteArray(),
        "image size -1x480 is negative");
    // A sum of float32 probabilities a rounding error above 1 is accepted.
    assertThat(decode("m1", good.toBuilder().setUnsafeScore(1.00001f).build().toByteArray()))
        .isInstanceOf(IndexChange.Analysed.class);
  }

  @Test
  void readsTheFixtureFlagsOfEmbeddingAndCaptionEvents() {
    MediaEmbeddingEvent embedding =
        MediaEmbeddingEvent.newBuilder()
            .setMediaId("m1")
            .setEmbedding(
                Embedding.newBuilder()
                    .setModelName("clip")
                    .setModelVersion("fixture")
                    .addValues(1)
                    .addValues(0))
            .setModelFixture(true)
            .build();
    MediaCaptionEvent caption =
        MediaCaptionEvent.newBuilder()
            .setMediaId("m1")
            .setCaption("a black square")
            .setCaptionModelName("vit-gpt2")
            .setCaptionModelVersion("1")
            .setCaptionModelFixture(true)
            .build();

    IndexChange.Embedded e =
        (IndexChange.Embedded)
            decoder.decode(Topics.MEDIA_EMBEDDING, "m1", embedding.toByteArray(), Map.of());
    IndexChange.Captioned c =
        (IndexChange.Captioned)
            decoder.decode(Topics.MEDIA_CAPTION, "m1", caption.toByteArray(), Map.of());

    assertThat(e.embedding().modelFixture()).isTrue();
    assertThat(c.captionModelFixture()).isTrue();
    assertThat(c.captionModel()).isEqualTo("vit-gpt2@1");
  }

  private IndexChange decode(String key, byte[] value) {
    return decoder.decode(Topics.MEDIA_VISION, key, value, Map.of());
  }

  private void assertRejected(String key, byte[] value, String reason) {
    assertThatThrownBy(() -> decode(key, value))
        .isInstanceOf(InvalidEventException.class)
        .hasMessageStartingWith(reason);
  }
}
