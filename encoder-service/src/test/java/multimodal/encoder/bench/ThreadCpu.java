package multimodal.encoder.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time of one process's threads by thread name, read from Linux's {@code /proc/<pid>/task}: the
 * profile of where a benchmark's CPU went, native threads (ONNX Runtime's pool, the GC, the JIT)
 * included, which a Java profiler does not see. Names are grouped with their digits dropped ({@code
 * executor-thread-7} counts as {@code executor-thread-N}).
 */
final class ThreadCpu {
  /** Linux's USER_HZ, the unit of utime and stime, on every architecture the JDK runs on. */
  private static final double TICKS_PER_SECOND = 100;

  private final Map<String, Long> ticksByThread;

  private ThreadCpu(Map<String, Long> ticksByThread) {
    this.ticksByThread = ticksByThread;
  }

  /** The threads of {@code pid} now (empty where {@code /proc} is missing). */
  static ThreadCpu of(long pid) {
    Map<String, Long> ticks = new HashMap<>();
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    try (Stream<Path> list = Files.list(tasks)) {
      for (Path task : list.toList()) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          // "tid (comm) state ppid ...": comm may hold spaces and parentheses, so split at the last
          // ')'
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long used = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime + stime
          ticks.put(task.getFileName() + " " + name, used);
        } catch (IOException | RuntimeException gone) {
          // the thread ended between the listing and the read
        }
      }
    } catch (IOException noProc) {
      return new ThreadCpu(Map.of());
    }
    return new ThreadCpu(ticks);
  }

  /** Seconds of CPU per thread group between {@code earlier} and this reading, largest first. */
  Map<String, Double> since(ThreadCpu earlier) {
    Map<String, Double> byGroup = new TreeMap<>();
    ticksByThread.forEach(
        (thread, ticks) -> {
          long before = earlier.ticksByThread.getOrDefault(thread, 0L);
          String group = thread.substring(thread.indexOf(' ') + 1).replaceAll("[0-9]+", "N");
          byGroup.merge(group, (ticks - before) / TICKS_PER_SECOND, Double::sum);
        });
    Map<String, Double> sorted = new LinkedHashMap<>();
    byGroup.entrySet().stream()
        .filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
        .forEach(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }
}
