package multimodal.devkit.hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the repository's {@code scripts/fetch-models.sh} as a user would, against a given hub URL.
 */
public final class FetchModelsScript {
  private final Path script;

  /**
   * @param repositoryRoot the checkout's root (tests run in a module directory: pass "..")
   */
  public FetchModelsScript(Path repositoryRoot) {
    this.script =
        repositoryRoot.resolve("scripts").resolve("fetch-models.sh").toAbsolutePath().normalize();
    if (!Files.isRegularFile(script)) {
      throw new IllegalArgumentException("no fetch script at " + script);
    }
  }

  /** Exit status and everything the script printed (stdout and stderr together). */
  public record Outcome(int exitCode, String output) {}

  /** {@code MODELS_BASE_URL=baseUrl fetch-models.sh --manifest manifest target models...}. */
  public Outcome run(String baseUrl, Path manifest, Path target, String... models) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "bash", script.toString(), "--manifest", manifest.toString(), target.toString()));
    command.addAll(List.of(models));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("MODELS_BASE_URL", baseUrl);
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException("fetch-models.sh did not finish: " + output);
      }
      return new Outcome(process.exitValue(), output);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + script, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + script, e);
    }
  }

  /** Writes a manifest file holding the given lines. */
  public static Path writeManifest(Path file, List<String> lines) {
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, lines, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
