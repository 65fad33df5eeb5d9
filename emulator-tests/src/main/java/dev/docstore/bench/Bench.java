package dev.docstore.bench;

import static dev.docstore.api.Operation.CREATE_DOCUMENT;
import static dev.docstore.api.Operation.CREATE_DOCUMENT_VERSION;
import static dev.docstore.api.Operation.GET_DOCUMENT;
import static dev.docstore.api.Operation.UPDATE_DOCUMENT;

import dev.docstore.api.Operation;
import dev.docstore.app.ClientCounters;
import dev.docstore.local.Emulators;
import dev.docstore.local.LocalStack;
import dev.docstore.local.LocalStorage;
import dev.docstore.local.ProjectFiles;
import dev.docstore.local.StorageCalls;
import dev.docstore.logging.JulBridge;
import dev.docstore.testing.DocstoreClient.Response;
import dev.docstore.testing.RpcCounter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

/**
 * The benchmark, run by {@code ./bench}: in-process against the emulators (those named
 * by {@code *_EMULATOR_HOST}, else started by {@link Emulators}), the functions served over HTTP
 * by the local stack, Spanner RPCs counted by a gRPC interceptor. Prints one
 * {@code BENCH <name> <value> <unit>} line per figure, then a table. See docs/PERFORMANCE.md.
 */
public final class Bench {
  private static final String RPCS = "Spanner RPCs per request";
  private static final String IDEMPOTENCY = "Idempotency cost (p50 ratios, 1 client)";
  private static final String STORAGE = "Storage calls of a replay";
  private static final String RESPONSE = "Spanner RPCs before and after the response";
  private static final String LATENCY_AT = "Where the latency figures are measured";
  private static final String FLOOR = "Each keyed first write over the floor (p50, 1 client)";
  private static final String LARGE = "4 MiB content (p50, 1 client)";
  private static final int LARGE_BYTES = 4 * 1024 * 1024;
  /** The writes that carry content. */
  private static final List<String> CONTENT_WRITES = List.of(CREATE_DOCUMENT.functionName(),
      CREATE_DOCUMENT_VERSION.functionName());

  private final Options options;
  private final Report report = new Report();
  private final RpcCounter rpcs = new RpcCounter();

  private Bench(Options options) {
    this.options = options;
  }

  /**
   * Command-line options; {@code --quick} is a smoke run of well under a minute,
   * {@code --cold-only} runs the cold start alone, {@code --cold-variants=a,b} chooses its
   * variants (all by default, see {@link ColdStartBench#all}).
   */
  record Options(int cycles1, int cycles8PerClient, int clients, int writers,
      int writesPerWriter, int coldRuns, int youngTrash, boolean coldOnly,
      List<String> coldVariants) {
    static Options parse(String[] args) {
      boolean quick = List.of(args).contains("--quick");
      boolean coldOnly = List.of(args).contains("--cold-only");
      List<String> variants = List.of();
      Map<String, Integer> values = new HashMap<>(Map.of(
          "cycles", quick ? 6 : 120, "cycles-per-client", quick ? 2 : 12, "clients", 8,
          "writers", 16, "writes-per-writer", quick ? 2 : 8, "cold-runs", quick ? 1 : 3,
          "young-trash", quick ? 1_000 : 10_000));
      for (String arg : args) {
        if (arg.equals("--quick") || arg.equals("--cold-only")) {
          continue;
        }
        if (arg.startsWith("--cold-variants=")) {
          variants = List.of(arg.substring("--cold-variants=".length()).split(","));
          ColdStartBench.select(variants);
          continue;
        }
        String[] kv = arg.replaceFirst("^--", "").split("=", 2);
        if (!arg.startsWith("--") || kv.length != 2 || !values.containsKey(kv[0])) {
          throw new IllegalArgumentException("unknown option " + arg + "; known: --quick,"
              + " --cold-only, --cold-variants=a,b, --"
              + String.join("=N, --", values.keySet()) + "=N");
        }
        values.put(kv[0], Integer.parseInt(kv[1]));
      }
      return new Options(values.get("cycles"), values.get("cycles-per-client"),
          values.get("clients"), values.get("writers"), values.get("writes-per-writer"),
          values.get("cold-runs"), values.get("young-trash"), coldOnly, variants);
    }
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    // The clients' java.util.logging goes through the JSON logger and its levels (com.google
    // logs WARN and above), so their INFO start-up banners do not clutter the figures.
    JulBridge.install();
    System.out.println("docstore benchmark " + options + ", " + Runtime.getRuntime()
        .availableProcessors() + " CPUs, Java " + System.getProperty("java.vm.version"));
    try (Emulators emulators = Emulators.start()) {
      System.out.println(emulators.describe());
      Bench bench = new Bench(options);
      bench.run(emulators);
      bench.report.printTable(System.out);
    } catch (Exception | AssertionError e) {
      e.printStackTrace();
      System.exit(1); // a client thread left behind must not keep a failed run alive
    }
    System.exit(0);
  }

  private void run(Emulators emulators) throws Exception {
    String suffix = Long.toHexString(System.nanoTime() & 0xffffffL);
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("SPANNER_DATABASE", "bench-" + suffix);
    env.put("ANALYTICS_TOPIC", "bench-" + suffix);
    env.put("AUTH_MODE", "dev");
    env.put(LocalStorage.DIRECTORY_VARIABLE, ProjectFiles.newStorageDirectory("bench").toString());
    env.remove("FAILPOINTS");
    // Enabled with none armed (one field read per point): the analytics figures skip a publish.
    env.put("FAILPOINTS_ENABLED", "true");
    try (LocalStack stack = LocalStack.start(emulators, env, Clock.systemUTC(), "127.0.0.1", 0,
        builder -> builder.spannerInterceptors(rpcs))) {
      if (!options.coldOnly()) {
        warm(stack, emulators);
      }
    }
    if (options.coldRuns() > 0) {
      coldStart(emulators, env);
    }
  }

  /** Every figure of a warm instance: RPCs, storage calls, latency, idempotency, contention. */
  private void warm(LocalStack stack, Emulators emulators) throws Exception {
    BenchClient client = new BenchClient(stack.baseUrl());
    step("warm-up");
    Recorder warmUp = new Recorder(null);
    for (int i = 0; i < 6; i++) {
      new Cycle(client, warmUp, "bench-warmup").run(i % 2 == 0);
    }
    requireNoErrors("warm-up", warmUp);
    long clientsBefore = ClientCounters.total();
    String clientsBeforeText = ClientCounters.describe();
    long requestsBefore = client.requests();

    step("RPCs and storage calls per request");
    rpcsPerRequest(client, stack);
    report.report(LATENCY_AT, "table_documents_rows", documentRows(stack), "rows",
        "Documents rows when the latency figures start (a fresh database each run; the"
            + " emulator scans tables for SQL, so figures drift with table size)");
    step("latency, 1 client, " + options.cycles1() + " cycles");
    Recorder one = latency(client, 1, options.cycles1());
    idempotencyCost(one);
    step("floor: one transaction and one publish, " + floorRuns() + " runs");
    overFloor(stack, one);
    step("4 MiB content: first write and replay");
    largeContent(client, stack);
    step("latency, " + options.clients() + " clients, " + options.cycles8PerClient()
        + " cycles each");
    latency(client, options.clients(), options.cycles8PerClient());
    step("contention: " + options.writers() + " writers on one document");
    contention(client);

    long requests = client.requests() - requestsBefore;
    double perRequest = (double) (ClientCounters.total() - clientsBefore) / requests;
    report.exactly("Clients per warm request", "client_constructions_per_warm_request",
        perRequest, "count", 0, requests + " warm requests; before " + clientsBeforeText
            + ", after " + ClientCounters.describe());

    step("analytics: publish cost and commit to counted");
    AnalyticsLatency analytics = new AnalyticsLatency(stack, client, report);
    analytics.publishCost(Math.max(6, options.cycles1() / 2));
    analytics.commitToCounted(emulators, Math.max(3, options.cycles1() / 6));

    // Last: the young trash it leaves would be rows in every later SQL scan.
    step("purgeTrash: " + options.youngTrash() + " young trashed documents");
    new PurgeScan(stack, client, rpcs, report).run(options.youngTrash(),
        Math.max(3, options.cycles1() / 12));
  }

  private void rpcsPerRequest(BenchClient client, LocalStack stack) {
    Recorder recorder = new Recorder(rpcs, stack.storageCalls());
    Cycle cycle = new Cycle(client, recorder, "bench-rpcs");
    cycle.run(true);
    cycle.run(false);
    requireNoErrors("RPC pass", recorder);
    for (String op : Cycle.WRITES) {
      StorageCalls.Reading replay = recorder.storage(op, Recorder.REPLAY);
      report.exactly(STORAGE, "storage_calls_replay_" + op, replay.calls(), "calls", 0,
          "1 KiB content");
      report.exactly(STORAGE, "storage_bytes_replay_" + op, replay.bytesWritten(), "bytes", 0,
          "uploaded by the replay");
    }
    for (String op : Cycle.WRITES) {
      report.atMost(RESPONSE, "rpcs_before_response_" + op,
          RpcCounter.roundTrips(recorder.rpcCalls(op, Recorder.FIRST)).size(), "rpcs", 2,
          "keyed first write: " + String.join(" + ", recorder.rpcCalls(op, Recorder.FIRST)));
      List<String> after = recorder.rpcCallsAfterResponse(op, Recorder.FIRST);
      report.exactly(RESPONSE, "rpcs_after_response_" + op, RpcCounter.roundTrips(after).size(),
          "rpcs", 0, "in the " + Recorder.AFTER_RESPONSE_MILLIS + " ms after it"
              + (after.isEmpty() ? "" : ": " + String.join(" + ", after)));
    }
    for (String op : Cycle.WRITES) {
      List<String> first = recorder.rpcCalls(op, Recorder.FIRST);
      report.exactly(RPCS, "rpcs_" + op + "_first_transaction",
          RpcCounter.transactional(first).size(), "rpcs", 2, "begin + commit of the write");
      rpcFigure(op + "_first", first, 2);
      rpcFigure(op + "_replay", recorder.rpcCalls(op, Recorder.REPLAY), 2);
      rpcFigure(op + "_nokey", recorder.rpcCalls(op, Recorder.NO_KEY), null);
    }
    // A keyed write under If-Match: the etag is checked on the document row the transaction
    // reads anyway, so it costs no round trip.
    String guarded = UPDATE_DOCUMENT.functionName();
    List<String> ifMatch = recorder.rpcCalls(guarded, Recorder.IF_MATCH);
    report.exactly(RPCS, "rpcs_" + guarded + "_ifmatch_first_transaction",
        RpcCounter.transactional(ifMatch).size(), "rpcs", 2, "begin + commit of the write");
    rpcFigure(guarded + "_ifmatch_first", ifMatch, 2);
    rpcFigure(guarded + "_ifmatch_replay", recorder.rpcCalls(guarded, Recorder.IF_MATCH_REPLAY),
        2);
    for (String op : Cycle.READS) {
      rpcFigure(op, recorder.rpcCalls(op, Recorder.READ), 1);
    }
  }

  /** All round trips of one request; a goal of at most {@code max} unless it is null. */
  private void rpcFigure(String name, List<String> calls, Integer max) {
    List<String> trips = RpcCounter.roundTrips(calls);
    if (max == null) {
      report.report(RPCS, "rpcs_" + name, trips.size(), "rpcs", String.join(" + ", calls));
    } else {
      report.atMost(RPCS, "rpcs_" + name, trips.size(), "rpcs", max, String.join(" + ", calls));
    }
  }

  private Recorder latency(BenchClient client, int clients, int cycles) throws Exception {
    Recorder recorder = new Recorder(null);
    String run = "c" + clients;
    parallel(clients, c -> {
      Cycle cycle = new Cycle(client, recorder, "bench-" + run + "-" + c);
      for (int i = 0; i < cycles; i++) {
        cycle.run(i % 2 == 0);
      }
    });
    String section = "Latency, " + clients + " concurrent client" + (clients == 1 ? "" : "s");
    for (String op : Cycle.WRITES) {
      for (String variant : List.of(Recorder.FIRST, Recorder.NO_KEY, Recorder.REPLAY)) {
        percentiles(section, run + "_" + op + "_" + variant, recorder.samples(op, variant));
      }
    }
    for (String op : Cycle.READS) {
      percentiles(section, run + "_" + op, recorder.samples(op, Recorder.READ));
    }
    errors(section, run, recorder);
    return recorder;
  }

  private void percentiles(String section, String name, Samples samples) {
    for (int p : new int[] {50, 95, 99}) {
      report.report(section, "latency_" + name + "_p" + p, samples.percentile(p), "ms",
          p == 50 ? "n=" + samples.count() : null);
    }
  }

  private void idempotencyCost(Recorder one) {
    double replaySum = 0;
    double firstSum = 0;
    double noKeySum = 0;
    for (String op : Cycle.WRITES) {
      double first = one.samples(op, Recorder.FIRST).percentile(50);
      double replay = one.samples(op, Recorder.REPLAY).percentile(50);
      double noKey = one.samples(op, Recorder.NO_KEY).percentile(50);
      report.atMost(IDEMPOTENCY, "replay_over_first_p50_" + op, Samples.ratio(replay, first),
          "ratio", 0.5, null);
      report.atMost(IDEMPOTENCY, "key_over_nokey_p50_" + op, Samples.ratio(first, noKey),
          "ratio", 1.10, null);
      replaySum += replay;
      firstSum += first;
      noKeySum += noKey;
    }
    report.atMost(IDEMPOTENCY, "replay_over_first_p50_all", Samples.ratio(replaySum, firstSum),
        "ratio", 0.5, "sum of the five writes' p50s");
    report.atMost(IDEMPOTENCY, "key_over_nokey_p50_all", Samples.ratio(firstSum, noKeySum),
        "ratio", 1.10, "sum of the five writes' p50s");
  }

  private int floorRuns() {
    return Math.max(10, options.cycles1() / 2);
  }

  /** Each write's keyed first-write p50 over the floor's, measured right after it. */
  private void overFloor(LocalStack stack, Recorder one) throws Exception {
    Samples floor;
    try (Floor program = new Floor(stack.docstore().databaseClient(), stack.config().projectId(),
        stack.config().analyticsTopic(), stack.config().pubsubEmulatorHost().orElseThrow())) {
      floor = program.measure("bench-floor", floorRuns());
    }
    double floorP50 = floor.percentile(50);
    report.report(FLOOR, "floor_p50", floorP50, "ms", "n=" + floor.count()
        + "; one read-write transaction (fused first read, two buffered mutations) + one"
        + " publish, no HTTP");
    for (String op : Cycle.WRITES) {
      report.atMost(FLOOR, op + "_over_floor",
          Samples.ratio(one.samples(op, Recorder.FIRST).percentile(50), floorP50), "ratio", 1.3,
          null);
    }
  }

  /**
   * A keyed first write and its replay with 4 MiB content, per write that carries content: the
   * replay moves no bytes and computes no canonical form of the content.
   */
  private void largeContent(BenchClient client, LocalStack stack) {
    int rounds = Math.max(3, options.cycles1() / 6);
    String tenant = "bench-large";
    Recorder recorder = new Recorder(null);
    long replayCalls = 0;
    long replayBytes = 0;
    Response created = client.post(CREATE_DOCUMENT, tenant, null,
        Map.of("title", "large", "content", "v1"));
    String doc = created.json().at("/document/documentId").asText();
    for (int i = 0; i < rounds + 1; i++) {
      Recorder into = i == 0 ? new Recorder(null) : recorder; // the first round warms up
      for (String op : CONTENT_WRITES) {
        Map<String, Object> body = op.equals(CREATE_DOCUMENT.functionName())
            ? Map.of("title", "large", "content", Cycle.content("large", LARGE_BYTES))
            : Map.of("documentId", doc, "content", Cycle.content("large", LARGE_BYTES));
        Operation operation = Operation.forFunctionName(op).orElseThrow();
        String key = "bench-large-" + UUID.randomUUID();
        into.time(op, Recorder.FIRST, () -> client.post(operation, tenant, key, body));
        StorageCalls.Reading replay = stack.storageCalls().during(() ->
            into.time(op, Recorder.REPLAY, () -> client.post(operation, tenant, key, body)));
        if (i > 0) {
          replayCalls += replay.calls();
          replayBytes += replay.bytesWritten();
        }
      }
    }
    for (String op : CONTENT_WRITES) {
      double first = recorder.samples(op, Recorder.FIRST).percentile(50);
      double replay = recorder.samples(op, Recorder.REPLAY).percentile(50);
      report.report(LARGE, "latency_4mib_" + op + "_first_p50", first, "ms",
          "n=" + recorder.samples(op, Recorder.FIRST).count());
      report.report(LARGE, "latency_4mib_" + op + "_replay_p50", replay, "ms", null);
      report.atMost(LARGE, "replay_over_first_4mib_" + op, Samples.ratio(replay, first),
          "ratio", 0.1, null);
    }
    report.exactly(LARGE, "storage_calls_replay_4mib", replayCalls, "calls", 0,
        "all 4 MiB replays");
    report.exactly(LARGE, "storage_bytes_replay_4mib", replayBytes, "bytes", 0,
        "all 4 MiB replays");
    errors(LARGE, "large", recorder);
  }

  private static long documentRows(LocalStack stack) {
    try (var rs = stack.docstore().databaseClient().singleUse()
        .executeQuery(com.google.cloud.spanner.Statement.of("SELECT COUNT(*) FROM Documents"))) {
      rs.next();
      return rs.getLong(0);
    }
  }

  private void contention(BenchClient client) throws Exception {
    String tenant = "bench-contention";
    Response created = client.post(CREATE_DOCUMENT, tenant, null,
        Map.of("title", "contended", "content", "v1"));
    if (!created.ok()) {
      throw new IllegalStateException("contention set-up: " + created.status());
    }
    String doc = created.json().at("/document/documentId").asText();
    Recorder recorder = new Recorder(null);
    long abortedBefore = rpcs.aborted();
    long start = System.nanoTime();
    parallel(options.writers(), w -> {
      for (int i = 0; i < options.writesPerWriter(); i++) {
        String content = "writer " + w + " write " + i + " " + UUID.randomUUID();
        recorder.time(CREATE_DOCUMENT_VERSION.functionName(), Recorder.FIRST, () -> client.post(
            CREATE_DOCUMENT_VERSION, tenant, "bench-" + UUID.randomUUID(),
            Map.of("documentId", doc, "content", content)));
      }
    });
    double seconds = (System.nanoTime() - start) / 1e9;
    Samples samples = recorder.samples(CREATE_DOCUMENT_VERSION.functionName(), Recorder.FIRST);
    String section = "Contention: " + options.writers() + " writers x "
        + options.writesPerWriter() + " createDocumentVersion on one document";
    report.report(section, "contention_throughput", samples.count() / seconds, "writes/s",
        samples.count() + " writes in " + Report.format(seconds) + " s");
    report.report(section, "contention_aborted_rpcs", rpcs.aborted() - abortedBefore, "count",
        "Spanner calls that ended ABORTED (each one a retried attempt)");
    errors(section, "contention", recorder);
    long latest = client.get(GET_DOCUMENT, tenant, "documentId=" + doc).json()
        .at("/document/latestVersion").asLong();
    report.exactly(section, "contention_lost_versions", 1 + samples.count() - latest, "count",
        0, "latestVersion " + latest + " after 1 + " + samples.count() + " 2xx writes");
    percentiles(section, "contention_createDocumentVersion", samples);
  }

  private void errors(String section, String run, Recorder recorder) {
    List<String> errors = recorder.errors();
    report.exactly(section, run + "_errors", errors.size(), "count", 0,
        errors.isEmpty() ? null : errors.get(0));
  }

  private void coldStart(Emulators emulators, Map<String, String> stackEnv) throws Exception {
    Map<String, String> env = new HashMap<>();
    for (String name : List.of("SPANNER_DATABASE", "ANALYTICS_TOPIC", "AUTH_MODE")) {
      env.put(name, stackEnv.get(name));
    }
    env.put("SPANNER_EMULATOR_HOST", emulators.spannerHost());
    env.put("PUBSUB_EMULATOR_HOST", emulators.pubsubHost());
    env.put("DOCSTORE_LOG_LEVEL", "WARN");
    env.put("GOOGLE_CLOUD_SPANNER_MULTIPLEXED_SESSIONS_FOR_RW", "false");
    env.put("GOOGLE_CLOUD_SPANNER_ENABLE_BUILTIN_METRICS", "false");
    new ColdStartBench(report, options.coldRuns(), env)
        .run(ColdStartBench.select(options.coldVariants()));
  }

  private static void requireNoErrors(String what, Recorder recorder) {
    if (!recorder.errors().isEmpty()) {
      throw new IllegalStateException(what + " failed: " + recorder.errors());
    }
  }

  /** Runs {@code body(i)} for i in [0, n) on n threads at once; rethrows the first failure. */
  private static void parallel(int n, java.util.function.IntConsumer body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<?>> futures = IntStream.range(0, n)
          .<Future<?>>mapToObj(i -> pool.submit(() -> body.accept(i))).toList();
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static void step(String what) {
    System.out.println("-- " + what);
  }
}
