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
    this.env = env;
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
        double docstore = median(variant, Function.CREATE_DOCUMENT, "");
        double hello = median(variant, Function.HELLO_WORLD, "_hello");
        String name = "coldstart_" + variant.name() + "_over_hello";
        String note = "createDocument ÷ hello-world, same JVM and flags";
        if (variant.name().equals(DEPLOYED)) {
          report.atMost(SECTION, name, Samples.ratio(docstore, hello), "ratio", GOAL_OVER_HELLO,
              note + "; the deployed form");
        } else {
          report.report(SECTION, name, Samples.ratio(docstore, hello), "ratio", note);
        }
      }
    } finally {
      for (Path file : trained.values()) {
        Files.deleteIfExists(file);
      }
      Files.deleteIfExists(archives);
    }
  }

  private double median(Variant variant, Function function, String suffix) throws Exception {
    List<String> flags = new ArrayList<>(variant.flags());
    if (variant.archive() != Archive.NONE) {
      flags.addAll(0, usingFlags(variant.archive(), archive(variant, function)));
    }
    System.out.println("-- cold start " + variant.name() + suffix + " " + String.join(" ",
        flags));
    List<Double> millis = new ArrayList<>();
    List<Double> rss = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      ColdStart.Run run = ColdStart.spawn(variant.javaHome(), flags, function, env);
      millis.add(run.millis());
      rss.add(run.rssMb());
    }
    String name = "coldstart_" + variant.name() + suffix;
    double median = Samples.percentile(millis, 50);
    report.report(SECTION, name + "_ms", median, "ms",
        "runs " + String.join(", ", millis.stream().map(Report::format).toList()));
    report.report(SECTION, name + "_rss", Samples.percentile(rss, 50), "MB",
        "resident memory at the first 2xx");
    return median;
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
