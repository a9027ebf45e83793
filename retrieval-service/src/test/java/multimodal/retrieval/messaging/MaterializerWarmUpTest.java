package multimodal.retrieval.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import multimodal.retrieval.index.LuceneMediaIndex;
import org.junit.jupiter.api.Test;

class MaterializerWarmUpTest {
  @Test
  void indexesAndSearchesOnAScratchIndexThatIsDeletedAfterwards() throws IOException {
    long before = warmUpDirectories();

    int items = new MaterializerWarmUp(LuceneMediaIndex.Settings.DEFAULT, "default", 40).run();

    assertThat(items).isEqualTo(40);
    assertThat(warmUpDirectories()).isEqualTo(before);
  }

  @Test
  void worksWithInt8Vectors() {
    LuceneMediaIndex.Settings int8 = new LuceneMediaIndex.Settings(16, 100, true, 64);
    assertThat(new MaterializerWarmUp(int8, "default", 20).run()).isEqualTo(20);
  }

  @Test
  void zeroItemsTurnItOff() {
    assertThat(new MaterializerWarmUp(LuceneMediaIndex.Settings.DEFAULT, "default", 0).run())
        .isZero();
  }

  private static long warmUpDirectories() throws IOException {
    try (Stream<Path> tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return tmp.filter(p -> p.getFileName().toString().startsWith("retrieval-warm-up")).count();
    }
  }
}
