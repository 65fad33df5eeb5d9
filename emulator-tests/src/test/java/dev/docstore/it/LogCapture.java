package dev.docstore.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Captures what the process writes to stdout (where the functions' JSON log lines go), while
 * still passing it through. Use in try-with-resources around the requests of interest.
 */
public final class LogCapture implements AutoCloseable {
  private final PrintStream original = System.out;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

  public LogCapture() {
    OutputStream tee = new OutputStream() {
      @Override
      public void write(int b) {
        synchronized (captured) {
          captured.write(b);
        }
        original.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        synchronized (captured) {
          captured.write(b, off, len);
        }
        original.write(b, off, len);
      }
    };
    System.setOut(new PrintStream(tee, true, StandardCharsets.UTF_8));
  }

  /** Every captured line, raw. */
  public List<String> lines() {
    String text;
    synchronized (captured) {
      text = captured.toString(StandardCharsets.UTF_8);
    }
    List<String> lines = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank()) {
        lines.add(line);
      }
    }
    return lines;
  }

  /** The JSON log lines carrying this request id, in order. */
  public List<JsonNode> forRequest(String requestId) {
    List<JsonNode> out = new ArrayList<>();
    for (String line : lines()) {
      if (!line.startsWith("{")) {
        continue;
      }
      try {
        JsonNode node = Api.JSON.readTree(line);
        if (requestId.equals(node.path("requestId").asText())) {
          out.add(node);
        }
      } catch (IOException notJson) {
        // a line from something other than our logger
      }
    }
    return out;
  }

  public static List<String> messages(List<JsonNode> lines) {
    return lines.stream().map(l -> l.path("message").asText()).toList();
  }

  @Override
  public void close() {
    System.setOut(original);
  }
}
