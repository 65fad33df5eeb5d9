package dev.docstore.bench;

import dev.docstore.testing.DocstoreClient.Response;
import dev.docstore.testing.RpcCounter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Times requests into {@link Samples} per operation and variant, counts failed requests, and, in
 * RPC mode (one client only), records the Spanner RPCs of each request.
 */
final class Recorder {
  static final String FIRST = "first";
  static final String NO_KEY = "nokey";
  static final String REPLAY = "replay";
  static final String READ = "read";
  /** A keyed write sent with If-Match (the etag the cycle last saw), and its replay. */
  static final String IF_MATCH = "ifmatch";
  static final String IF_MATCH_REPLAY = "ifmatch_replay";

  private final Map<String, Samples> samples = new ConcurrentHashMap<>();
  private final Map<String, List<String>> rpcCalls = new ConcurrentHashMap<>();
  private final List<String> errors = new ArrayList<>();
  private final RpcCounter rpcs;

  /** {@code rpcs} non-null: record each request's RPCs (the caller runs requests one by one). */
  Recorder(RpcCounter rpcs) {
    this.rpcs = rpcs;
  }

  static String key(String operation, String variant) {
    return operation + " " + variant;
  }

  Response time(String operation, String variant, Supplier<Response> call) {
    Response[] reply = new Response[1];
    long start = System.nanoTime();
    if (rpcs == null) {
      reply[0] = call.get();
    } else {
      rpcCalls.put(key(operation, variant), rpcs.during(() -> reply[0] = call.get()));
    }
    double ms = (System.nanoTime() - start) / 1e6;
    if (reply[0].ok()) {
      samples.computeIfAbsent(key(operation, variant), k -> new Samples()).add(ms);
    } else {
      error(operation + " (" + variant + ") answered " + reply[0].status() + " "
          + abbreviate(reply[0].text()));
    }
    return reply[0];
  }

  synchronized void error(String what) {
    errors.add(what);
  }

  synchronized List<String> errors() {
    return List.copyOf(errors);
  }

  Samples samples(String operation, String variant) {
    return samples.getOrDefault(key(operation, variant), new Samples());
  }

  /** The Spanner RPCs of the last request of this kind (RPC mode only). */
  List<String> rpcCalls(String operation, String variant) {
    return rpcCalls.getOrDefault(key(operation, variant), List.of());
  }

  private static String abbreviate(String body) {
    return body.length() <= 200 ? body : body.substring(0, 200) + "...";
  }
}
