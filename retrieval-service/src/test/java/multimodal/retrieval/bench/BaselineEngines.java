package multimodal.retrieval.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * hnswlib and faiss in one {@code ann_baselines.py --phase serve} process that keeps both indexes
 * loaded and runs the timed passes it is sent, so that they interleave with Lucene's.
 */
final class BaselineEngines implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Writer commands;
  private final BufferedReader answers;
  private final JsonNode figures;

  BaselineEngines(List<String> serveCommand) throws IOException {
    process =
        new ProcessBuilder(serveCommand).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    answers =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    figures = readAnswer();
  }

  /** Build, disk and memory figures per engine ({@code engines.<name>}) and the ground truth's. */
  JsonNode figures() {
    return figures;
  }

  /** The engines whose saved index the process loaded. */
  List<QueryEngine> engines() {
    List<QueryEngine> engines = new ArrayList<>();
    for (Iterator<String> names = figures.get("engines").fieldNames(); names.hasNext(); ) {
      String name = names.next();
      engines.add(
          new QueryEngine() {
            @Override
            public String name() {
              return name;
            }

            @Override
            public Pass run(int ef, int threads, int count) throws IOException {
              commands.write(name + " " + ef + " " + threads + " " + count + "\n");
              commands.flush();
              JsonNode pass = readAnswer();
              return new Pass(pass.get("qps").asDouble(), pass.get("recall").asDouble());
            }
          });
    }
    return engines;
  }

  private JsonNode readAnswer() throws IOException {
    String line = answers.readLine();
    if (line == null) {
      throw new IOException(
          "the baseline process ended (exit code " + exitCode() + "); its errors are above");
    }
    return JSON.readTree(line);
  }

  private String exitCode() {
    try {
      return process.waitFor(10, TimeUnit.SECONDS)
          ? Integer.toString(process.exitValue())
          : "still running";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  @Override
  public void close() throws IOException {
    commands.close(); // end of input: the script's loop ends
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
