package multimodal.media.preprocess;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * On a JVM whose vectors hold fewer than 8 ints (SSE or NEON hardware; here {@code
 * -XX:MaxVectorSize=16} on this machine) the resize falls back to the scalar passes instead of
 * failing in {@link VectorPasses}' initialisation. Runs in a child JVM, since the vector width is
 * fixed at start.
 */
class NarrowVectorsFallbackTest {
  @Test
  void narrowVectorsGetTheScalarPasses() throws Exception {
    Process child =
        new ProcessBuilder(
                List.of(
                    ProcessHandle.current().info().command().orElse("java"),
                    "--add-modules=jdk.incubator.vector",
                    "-XX:MaxVectorSize=16",
                    "-cp",
                    System.getProperty("java.class.path"),
                    ChosenPasses.class.getName()))
            .redirectErrorStream(true)
            .start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(child.exitValue()).as(output).isZero();
    assertThat(output).contains("ScalarPasses").doesNotContain("VectorPasses");
  }

  /** The child: prints the class of the passes the resize would use. */
  static final class ChosenPasses {
    public static void main(String[] args) {
      System.out.println(Passes.best().getClass().getSimpleName());
    }
  }
}
