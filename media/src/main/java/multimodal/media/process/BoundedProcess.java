package multimodal.media.process;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external tool with hard limits: a wall-clock timeout and a cap on the bytes read from its
 * standard output (the tool is killed, with its children, when either is hit), and a bounded tail
 * of its standard error for the error message (shared by the media tools that run FFmpeg). Written
 * on {@link ProcessBuilder} because the libraries for this (commons-exec, zt-exec) cap neither the
 * output nor kill the process tree.
 */
public final class BoundedProcess {
  /** Keep this much of standard error: enough for the tool's first error lines. */
  private static final int STDERR_KEEP = 16 * 1024;

  /**
   * Blocking pipe readers get threads of their own: on the common pool (one thread on a two-core
   * machine) the stderr reader could wait behind the stdout reader while the tool blocks on a full
   * stderr pipe.
   */
  private static final ExecutorService READERS =
      Executors.newCachedThreadPool(
          task -> {
            Thread thread = new Thread(task, "bounded-process-reader");
            thread.setDaemon(true);
            return thread;
          });

  /**
   * How a run ended.
   *
   * @param exitCode the tool's exit status; meaningless when {@code timedOut} or {@code
   *     outputOverflow}
   * @param stdout what it wrote, at most the cap
   * @param stderr the start of what it wrote to standard error (decoded as UTF-8)
   */
  public record Result(
      int exitCode, byte[] stdout, String stderr, boolean timedOut, boolean outputOverflow) {
    public boolean ok() {
      return !timedOut && !outputOverflow && exitCode == 0;
    }

    /** The first non-empty line of standard error, or empty. */
    public String firstErrorLine() {
      return stderr
          .lines()
          .map(String::strip)
          .filter(line -> !line.isEmpty())
          .findFirst()
          .orElse("");
    }
  }

  private BoundedProcess() {}

  /**
   * @param maxStdoutBytes the run is stopped (and {@code outputOverflow} set) once the tool writes
   *     more than this
   * @throws IllegalStateException when the tool cannot be started (not installed)
   */
  public static Result run(List<String> command, Duration timeout, long maxStdoutBytes) {
    return run(command, null, timeout, maxStdoutBytes);
  }

  /**
   * As {@link #run(List, Duration, long)}, in {@code workingDirectory} (so the tool's file names
   * can be relative, free of characters its own syntax would read).
   */
  public static Result run(
      List<String> command, Path workingDirectory, Duration timeout, long maxStdoutBytes) {
    Process process;
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      if (workingDirectory != null) {
        builder.directory(workingDirectory.toFile());
      }
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
    }
    CompletableFuture<Capped> out =
        CompletableFuture.supplyAsync(
            () -> read(process.getInputStream(), maxStdoutBytes, false), READERS);
    CompletableFuture<Capped> err =
        CompletableFuture.supplyAsync(
            () -> read(process.getErrorStream(), STDERR_KEEP, true), READERS);
    boolean timedOut = false;
    boolean overflow = false;
    try {
      long deadline = System.nanoTime() + timeout.toNanos();
      // Wait for the end of the output (or its cap), then for the exit, both within the timeout.
      Capped stdout = out.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      overflow = stdout.overflow();
      if (overflow) {
        kill(process);
      } else if (!process.waitFor(
          Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        timedOut = true;
        kill(process);
      }
      process.waitFor();
      String stderr = new String(err.get().bytes(), StandardCharsets.UTF_8);
      return new Result(
          overflow || timedOut ? -1 : process.exitValue(),
          stdout.bytes(),
          stderr,
          timedOut,
          overflow);
    } catch (java.util.concurrent.TimeoutException e) {
      kill(process);
      return new Result(-1, new byte[0], "", true, false);
    } catch (InterruptedException e) {
      kill(process);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command.get(0), e);
    } catch (ExecutionException e) {
      kill(process);
      throw new IllegalStateException("reading the output of " + command.get(0), e.getCause());
    }
  }

  private static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  private record Capped(byte[] bytes, boolean overflow) {}

  /**
   * Reads up to {@code cap} bytes; then stops (the caller kills the tool), or with {@code drain}
   * reads on and discards, so the tool never blocks on a full pipe.
   */
  private static Capped read(InputStream in, long cap, boolean drain) {
    ByteArrayOutputStream kept = new ByteArrayOutputStream();
    byte[] buffer = new byte[64 * 1024];
    boolean overflow = false;
    try (in) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        long room = cap - kept.size();
        if (n > room) {
          kept.write(buffer, 0, (int) Math.max(0, room));
          overflow = true;
          if (!drain) {
            break;
          }
        } else {
          kept.write(buffer, 0, n);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Capped(kept.toByteArray(), overflow);
  }
}
