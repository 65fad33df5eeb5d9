package dev.docstore.bench;

import dev.docstore.bench.ColdStart.Function;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cold-start section of the benchmark: for each JVM and set of flags, the median spawn to
 * first 2xx of createDocument and of {@link HelloWorld} on the same JVM and flags, and their
 * ratio. Variants that need an archive (AppCDS on the JDK that runs the bench, the AOT cache of
 * JDK 25) get it from one training run per function first.
 */
final class ColdStartBench {
  static final String SECTION = "Cold start: JVM spawn to the first 2xx (median)";
  /** Temurin 25, where these machines have it; {@code -Dbench.jdk25=} points elsewhere. */
  static final Path JDK25 = Path.of(System.getProperty("bench.jdk25",
      "/usr/lib/jvm/temurin-25-jdk-amd64"));
  private static final String C1 = "-XX:TieredStopAtLevel=1";
  /** What the deployment runs (infra/terraform: java25 with C1 only): its goal is ≤ 2×. */
  static final String DEPLOYED = "jdk25_c1";
  static final double GOAL_OVER_HELLO = 2.0;

  /** How a variant's archive is made: none, AppCDS (JDK 13+), or the AOT cache (JDK 25). */
  enum Archive { NONE, APPCDS, AOT }

  record Variant(String name, Path javaHome, Archive archive, List<String> flags) {}

  /** Every variant, in the order they run; the host JVM is the one running the bench. */
  static List<Variant> all() {
    Path host = Path.of(System.getProperty("java.home"));
    String h = "jdk" + Runtime.version().feature();
    return List.of(
        new Variant(h + "_default", host, Archive.NONE, List.of()),
        new Variant(h + "_c1", host, Archive.NONE, List.of(C1)),
        new Variant(h + "_appcds", host, Archive.APPCDS, List.of()),
        new Variant(h + "_appcds_c1", host, Archive.APPCDS, List.of(C1)),
        new Variant("jdk25_default", JDK25, Archive.NONE, List.of()),
        new Variant("jdk25_c1", JDK25, Archive.NONE, List.of(C1)),
        new Variant("jdk25_aot", JDK25, Archive.AOT, List.of()),
        new Variant("jdk25_aot_c1", JDK25, Archive.AOT, List.of(C1)));
  }

  /** The variants named (all when {@code names} is empty); an unknown name is refused. */
  static List<Variant> select(List<String> names) {
    if (names.isEmpty()) {
      return all();
    }
    List<Variant> chosen = new ArrayList<>();
    for (String name : names) {
      chosen.add(all().stream().filter(v -> v.name().equals(name)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("unknown cold-start variant " + name
              + "; known: " + all().stream().map(Variant::name).toList())));
    }
    return chosen;
  }

  /** The flags that write a variant's archive, and those that use it. */
  static List<String> trainingFlags(Archive archive, Path file) {
    return switch (archive) {
      case NONE -> List.of();
      case APPCDS -> List.of("-XX:ArchiveClassesAtExit=" + file);
      case AOT -> List.of("-XX:AOTCacheOutput=" + file);
    };
  }

  static List<String> usingFlags(Archive archive, Path file) {
    // Strict: a run that cannot map its archive fails instead of silently starting without it.
    return switch (archive) {
      case NONE -> List.of();
      case APPCDS -> List.of("-XX:SharedArchiveFile=" + file, "-Xshare:on");
      case AOT -> List.of("-XX:AOTCache=" + file, "-XX:AOTMode=on");
    };
  }

  private final Report report;
  private final int runs;
  private final Map<String, String> env;
  private final Path archives;
  private final Map<String, Path> trained = new HashMap<>();

  ColdStartBench(Report report, int runs, Map<String, String> env) throws Exception {
    this.report = report;
    this.runs = runs;
    this.env = new HashMap<>(env);
    // The longest deadline there is: a training run is slow by design, and on a busy machine a
    // first request past the default 20 s would answer 503 instead of giving a figure.
    this.env.put("REQUEST_DEADLINE", "PT55S");
    this.archives = Files.createTempDirectory("docstore-bench-");
  }

  void run(List<Variant> variants) throws Exception {
    try {
      for (Variant variant : variants) {
        if (!Files.isExecutable(variant.javaHome().resolve("bin").resolve("java"))) {
          System.out.println("-- cold start " + variant.name() + ": skipped, no JVM at "
              + variant.javaHome());
          continue;
        }
        Medians docstore = new Medians();
        Medians hello = new Medians();
        List<String> docstoreFlags = flags(variant, Function.CREATE_DOCUMENT);
        List<String> helloFlags = flags(variant, Function.HELLO_WORLD);
        System.out.println("-- cold start " + variant.name() + " " + String.join(" ",
            docstoreFlags));
        // Alternated, so that a busy spell of a shared machine lands on both sides of a ratio.
        for (int i = 0; i < runs; i++) {
          docstore.add(ColdStart.spawn(variant.javaHome(), docstoreFlags,
              Function.CREATE_DOCUMENT, env));
          hello.add(ColdStart.spawn(variant.javaHome(), helloFlags, Function.HELLO_WORLD, env));
        }
        docstore.report(report, "coldstart_" + variant.name());
        hello.report(report, "coldstart_" + variant.name() + "_hello");
        String name = "coldstart_" + variant.name() + "_over_hello";
        String note = "createDocument ÷ hello-world, same JVM and flags";
        double ratio = Samples.ratio(docstore.millis(), hello.millis());
        if (variant.name().equals(DEPLOYED)) {
          report.atMost(SECTION, name, ratio, "ratio", GOAL_OVER_HELLO,
              note + "; the deployed form");
        } else {
          report.report(SECTION, name, ratio, "ratio", note);
        }
        report.report(SECTION, "coldstart_" + variant.name() + "_cpu_over_hello",
            Samples.ratio(docstore.cpuMillis(), hello.cpuMillis()), "ratio",
            "the same in CPU time, which a busy machine does not inflate");
      }
    } finally {
      // Everything a training run left (a JDK 25 run also writes a configuration file beside
      // its cache), without masking what failed above.
      try (var files = Files.list(archives)) {
        for (Path file : files.toList()) {
          Files.deleteIfExists(file);
        }
      }
      Files.deleteIfExists(archives);
    }
  }

  private List<String> flags(Variant variant, Function function) throws Exception {
    List<String> flags = new ArrayList<>();
    if (variant.archive() != Archive.NONE) {
      flags.addAll(usingFlags(variant.archive(), archive(variant, function)));
    }
    flags.addAll(variant.flags());
    return flags;
  }

  /** The runs of one function on one variant. */
  private static final class Medians {
    private final List<Double> millis = new ArrayList<>();
    private final List<Double> cpu = new ArrayList<>();
    private final List<Double> rss = new ArrayList<>();

    void add(ColdStart.Run run) {
      millis.add(run.millis());
      cpu.add(run.cpuMillis());
      rss.add(run.rssMb());
    }

    double millis() {
      return Samples.percentile(millis, 50);
    }

    double cpuMillis() {
      return Samples.percentile(cpu, 50);
    }

    void report(Report report, String name) {
      report.report(SECTION, name + "_ms", millis(), "ms",
          "runs " + String.join(", ", millis.stream().map(Report::format).toList()));
      report.report(SECTION, name + "_cpu_ms", cpuMillis(), "ms",
          "CPU time of the child at the first 2xx; runs "
              + String.join(", ", cpu.stream().map(Report::format).toList()));
      report.report(SECTION, name + "_rss", Samples.percentile(rss, 50), "MB",
          "resident memory at the first 2xx");
    }
  }

  /** The archive for this JVM, kind and function: trained once, on its first use. */
  private Path archive(Variant variant, Function function) throws Exception {
    String key = variant.javaHome() + " " + variant.archive() + " " + function;
    Path file = trained.get(key);
    if (file == null) {
      file = archives.resolve(variant.name() + "-" + function.name().toLowerCase()
          + (variant.archive() == Archive.AOT ? ".aot" : ".jsa"));
      ColdStart.Run training = ColdStart.spawn(variant.javaHome(),
          trainingFlags(variant.archive(), file), function, env);
      if (!Files.isRegularFile(file)) {
        throw new IllegalStateException("the training run wrote no archive at " + file);
      }
      trained.put(key, file);
      report.report(SECTION, "coldstart_" + variant.name() + "_training"
              + (function == Function.HELLO_WORLD ? "_hello" : "") + "_ms", training.millis(),
          "ms", "the run that writes the archive (" + Files.size(file) / (1024 * 1024) + " MB)");
    }
    return file;
  }
}
