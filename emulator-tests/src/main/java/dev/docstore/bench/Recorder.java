package dev.docstore.bench;

import dev.docstore.local.StorageCalls;
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
  private final Map<String, List<String>> rpcsAfter = new ConcurrentHashMap<>();
  private final Map<String, StorageCalls.Reading> storage = new ConcurrentHashMap<>();
  private final List<String> errors = new ArrayList<>();
  private final RpcCounter rpcs;
  private final StorageCalls storageCalls;

  /** {@code rpcs} non-null: record each request's RPCs (the caller runs requests one by one). */
  Recorder(RpcCounter rpcs) {
    this(rpcs, null);
  }

  /**
   * As above, also recording each request's storage calls and the Spanner RPCs in
   * {@link #AFTER_RESPONSE_MILLIS} after its response.
   */
  Recorder(RpcCounter rpcs, StorageCalls storageCalls) {
    this.rpcs = rpcs;
    this.storageCalls = storageCalls;
  }

  /** How long after a response its RPCs still count as that request's (RPC mode only). */
  static final long AFTER_RESPONSE_MILLIS = 150;

  static String key(String operation, String variant) {
    return operation + " " + variant;
  }

  Response time(String operation, String variant, Supplier<Response> call) {
    Response[] reply = new Response[1];
    long start = System.nanoTime();
    double ms;
    if (rpcs == null) {
      reply[0] = call.get();
      ms = (System.nanoTime() - start) / 1e6;
    } else {
      StorageCalls.Reading storageBefore = storageCalls == null ? null : storageCalls.read();
      rpcCalls.put(key(operation, variant), rpcs.during(() -> reply[0] = call.get()));
      ms = (System.nanoTime() - start) / 1e6;
      if (storageCalls != null) {
        storage.put(key(operation, variant), storageCalls.read().minus(storageBefore));
        rpcsAfter.put(key(operation, variant), rpcs.during(Recorder::waitAfterResponse));
      }
    }
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

  /** The Spanner RPCs in the moments after the last such request's response (RPC mode). */
  List<String> rpcCallsAfterResponse(String operation, String variant) {
    return rpcsAfter.getOrDefault(key(operation, variant), List.of());
  }

  /** The storage calls and upload bytes of the last such request (RPC mode, with storage). */
  StorageCalls.Reading storage(String operation, String variant) {
    return storage.get(key(operation, variant));
  }

  private static void waitAfterResponse() {
    try {
      Thread.sleep(AFTER_RESPONSE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String abbreviate(String body) {
    return body.length() <= 200 ? body : body.substring(0, 200) + "...";
  }
}
