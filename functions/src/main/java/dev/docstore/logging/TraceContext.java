package dev.docstore.logging;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Trace correlation for Cloud Logging, from W3C {@code traceparent} or the legacy
 * {@code X-Cloud-Trace-Context: TRACE_ID/SPAN_ID;o=1}, whose span id is decimal.
 */
public record TraceContext(String traceId, String spanIdHex, boolean sampled) {
  private static final Pattern TRACEPARENT =
      Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
  private static final Pattern CLOUD =
      Pattern.compile("([0-9a-fA-F]{32})(?:/(\\d{1,20}))?(?:;o=([01]))?");

  public static Optional<TraceContext> parse(
      Optional<String> traceparent, Optional<String> cloudTraceContext) {
    if (traceparent.isPresent()) {
      Matcher m = TRACEPARENT.matcher(traceparent.get().trim());
      if (m.matches() && !m.group(1).equals("ff") && !m.group(2).matches("0+")
          && !m.group(3).matches("0+")) {
        boolean sampled = (Integer.parseInt(m.group(4), 16) & 1) == 1;
        return Optional.of(new TraceContext(m.group(2), m.group(3), sampled));
      }
    }
    if (cloudTraceContext.isPresent()) {
      Matcher m = CLOUD.matcher(cloudTraceContext.get().trim());
      if (m.matches()) {
        String span = null;
        if (m.group(2) != null) {
          try {
            span = String.format("%016x", Long.parseUnsignedLong(m.group(2)));
          } catch (NumberFormatException e) {
            span = null;
          }
        }
        return Optional.of(
            new TraceContext(m.group(1).toLowerCase(), span, "1".equals(m.group(3))));
      }
    }
    return Optional.empty();
  }

  public String traceResource(String projectId) {
    return "projects/" + projectId + "/traces/" + traceId;
  }
}
