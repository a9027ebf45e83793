package multimodal.gateway.blob;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import multimodal.gateway.MediaIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalBlobStoreTest {

  @Test
  void storesBytesOnceUnderTheirHash(@TempDir Path dir) throws IOException {
    LocalBlobStore store = new LocalBlobStore(dir);
    byte[] bytes = "some image bytes".getBytes();

    String first = store.put(bytes);
    String second = store.put(bytes.clone());

    assertThat(first).isEqualTo(second).isEqualTo(MediaIds.sha256(bytes));
    assertThat(store.get(first)).hasValue(bytes);
    assertThat(store.exists(first)).isTrue();
    try (Stream<Path> files = Files.walk(dir)) {
      assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(1);
    }
  }

  @Test
  void unknownOrMalformedAddressesAreEmpty(@TempDir Path dir) {
    LocalBlobStore store = new LocalBlobStore(dir);
    assertThat(store.get(MediaIds.sha256("nothing"))).isEmpty();
    assertThat(store.get("../../etc/passwd")).isEmpty();
    assertThat(store.exists("ABC")).isFalse();
  }

  @Test
  void mediaRefsBelongToOneTenant(@TempDir Path dir) {
    LocalMediaRefs refs = new LocalMediaRefs(dir, new ObjectMapper());
    MediaRef mine = new MediaRef("a", "..", "h", null, "image/png");

    assertThat(refs.claim(mine)).isTrue();
    assertThat(refs.claim(mine)).as("re-claim by the owner").isTrue();
    assertThat(refs.claim(new MediaRef("b", "..", "h2", null, "image/png"))).isFalse();
    assertThat(refs.find("a", "..")).hasValue(mine);
    assertThat(refs.find("b", "..")).isEmpty();
    assertThat(refs.ownedByOther("b", "..")).isTrue();
    assertThat(refs.remove("b", "..")).isFalse();
    assertThat(refs.remove("a", "..")).isTrue();
    assertThat(refs.find("a", "..")).isEmpty();
    assertThat(refs.claim(new MediaRef("b", "..", "h2", null, "image/png")))
        .as("free again")
        .isTrue();
  }

  @Test
  void aTenantHoldsABlobWhileOneOfItsItemsIsStoredAsIt(@TempDir Path dir) {
    LocalMediaRefs refs = new LocalMediaRefs(dir, new ObjectMapper());
    String blob = MediaIds.sha256("bytes");
    String other = MediaIds.sha256("other bytes");

    refs.claim(new MediaRef("acme", "one", blob, null, "image/png"));
    refs.claim(new MediaRef("acme", "two", blob, null, "image/png"));
    refs.claim(new MediaRef("beta", "three", blob, null, "image/png"));
    refs.claim(new MediaRef("acme", "url", null, "https://example.com/a.png", "image/png"));

    assertThat(refs.holdsBlob("acme", blob)).isTrue();
    assertThat(refs.holdsBlob("beta", blob)).isTrue();
    assertThat(refs.holdsBlob("gamma", blob)).as("a tenant that never uploaded it").isFalse();
    assertThat(refs.holdsBlob("acme", other)).isFalse();
    assertThat(refs.holdsBlob("acme", "../refs")).isFalse();

    refs.remove("acme", "one");
    assertThat(refs.holdsBlob("acme", blob)).as("item two still holds it").isTrue();
    refs.remove("acme", "two");
    assertThat(refs.holdsBlob("acme", blob)).as("its last item deleted").isFalse();
    assertThat(refs.holdsBlob("beta", blob)).as("another tenant's copy is untouched").isTrue();

    refs.claim(new MediaRef("beta", "three", other, null, "image/png"));
    assertThat(refs.holdsBlob("beta", blob)).as("the item now stores other bytes").isFalse();
    assertThat(refs.holdsBlob("beta", other)).isTrue();
  }

  @Test
  void refsWrittenBeforeTheOwnerIndexAreIndexedAtStart(@TempDir Path dir) throws IOException {
    String blob = MediaIds.sha256("old bytes");
    new LocalMediaRefs(dir, new ObjectMapper())
        .claim(new MediaRef("acme", "old", blob, null, "image/png"));
    // As a directory from before the index: the refs alone.
    try (Stream<Path> index = Files.walk(dir.resolve("refs/by-blob"))) {
      index.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    Files.delete(dir.resolve("refs/by-blob.ready"));

    assertThat(new LocalMediaRefs(dir, new ObjectMapper()).holdsBlob("acme", blob)).isTrue();
  }
}
