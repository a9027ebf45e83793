package multimodal.devkit.pods;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Runs a command line to completion and keeps what it printed. */
final class Commands {
  record Result(int exitCode, String stdout, String output) {}

  private Commands() {}

  /** Runs {@code command} with {@code env} added to this process's environment (may be null). */
  static Result run(List<String> command, Map<String, String> env) {
    return run(command, env, null);
  }

  static Result run(List<String> command, Map<String, String> env, byte[] stdin) {
    try {
      Path out = Files.createTempFile("cmd-", ".out");
      Path err = Files.createTempFile("cmd-", ".err");
      try {
        ProcessBuilder builder =
            new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        if (env != null) {
          builder.environment().putAll(env);
        }
        Process process = builder.start();
        try (var in = process.getOutputStream()) {
          if (stdin != null) {
            in.write(stdin);
          }
        }
        int code = process.waitFor();
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        return new Result(code, stdout, stdout + Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
    }
  }
}
