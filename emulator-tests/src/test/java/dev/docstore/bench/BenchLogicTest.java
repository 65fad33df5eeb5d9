package dev.docstore.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.docstore.local.StorageCalls;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.DoubleStream;
import org.junit.jupiter.api.Test;

/** The benchmark's pure logic: percentiles, ratios, report, options. */
class BenchLogicTest {
  @Test
  void percentilesUseTheNearestRank() {
    List<Double> hundred = DoubleStream.iterate(1, v -> v + 1).limit(100).boxed().toList();
    assertEquals(50.0, Samples.percentile(hundred, 50));
    assertEquals(95.0, Samples.percentile(hundred, 95));
    assertEquals(99.0, Samples.percentile(hundred, 99));
    assertEquals(100.0, Samples.percentile(hundred, 100));
    List<Double> unsorted = List.of(30.0, 10.0, 20.0);
    assertEquals(20.0, Samples.percentile(unsorted, 50));
    assertEquals(30.0, Samples.percentile(unsorted, 95), "a few samples: p95 is the maximum");
    assertEquals(10.0, Samples.percentile(List.of(10.0), 1));
    assertTrue(Double.isNaN(Samples.percentile(List.of(), 50)));
    assertThrows(IllegalArgumentException.class, () -> Samples.percentile(unsorted, 0));
    assertThrows(IllegalArgumentException.class, () -> Samples.percentile(unsorted, 101));
  }

  @Test
  void samplesAreThreadSafeAndCounted() throws InterruptedException {
    Samples samples = new Samples();
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      threads[t] = new Thread(() -> {
        for (int i = 1; i <= 250; i++) {
          samples.add(i);
        }
      });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(1000, samples.count());
    assertEquals(125.0, samples.percentile(50));
  }

  @Test
  void ratiosOfMissingFiguresAreNotANumber() {
    assertEquals(0.5, Samples.ratio(5, 10));
    assertTrue(Double.isNaN(Samples.ratio(5, 0)));
    assertTrue(Double.isNaN(Samples.ratio(Double.NaN, 10)));
  }

  @Test
  void figuresAreFormattedForMachinesAndChecked() {
    assertEquals("3", Report.format(3.0));
    assertEquals("0.489", Report.format(0.4891));
    assertEquals("292.6", Report.format(292.61));
    assertEquals("NaN", Report.format(Double.NaN));
    Report report = new Report();
    report.atMost("s", "ratio", 0.6, "ratio", 0.5, null);
    report.exactly("s", "errors", 0, "count", 0, null);
    report.report("s", "p50", 12, "ms", null);
    assertEquals(List.of("ratio"), report.misses().stream().map(Report.Figure::name).toList());
  }

  @Test
  void cycleContentHasExactlyTheStatedSizeAndIsFreshEachTime() {
    String a = Cycle.content("first", Cycle.CONTENT_BYTES);
    String b = Cycle.content("first", Cycle.CONTENT_BYTES);
    assertEquals(1024, a.getBytes(StandardCharsets.UTF_8).length);
    assertTrue(a.startsWith("first "), a.substring(0, 10));
    assertTrue(!a.equals(b), "fresh content: no keyless dedupe between two cycles");
    assertEquals(4 * 1024 * 1024, Cycle.content("large", 4 * 1024 * 1024).length());
    assertEquals(8, Cycle.content("a-long-label-cut-short", 8).length());
  }

  @Test
  void storageReadingsSubtract() {
    StorageCalls.Reading before = new StorageCalls.Reading(3, 100);
    StorageCalls.Reading after = new StorageCalls.Reading(5, 1124);
    assertEquals(new StorageCalls.Reading(2, 1024), after.minus(before));
  }

  @Test
  void optionsHaveDefaultsAQuickModeAndOverrides() {
    Bench.Options defaults = Bench.Options.parse(new String[0]);
    assertEquals(8, defaults.clients());
    assertEquals(16, defaults.writers());
    Bench.Options quick = Bench.Options.parse(new String[] {"--quick", "--cold-runs=0"});
    assertTrue(quick.cycles1() < defaults.cycles1());
    assertEquals(0, quick.coldRuns());
    assertThrows(IllegalArgumentException.class,
        () -> Bench.Options.parse(new String[] {"--bogus=1"}));
  }

  @Test
  void coldStartVariantsAreChosenByNameAndAllRunByDefault() {
    Bench.Options defaults = Bench.Options.parse(new String[0]);
    assertFalse(defaults.coldOnly());
    assertEquals(ColdStartBench.all(), ColdStartBench.select(defaults.coldVariants()));
    Bench.Options chosen = Bench.Options.parse(
        new String[] {"--cold-only", "--cold-variants=jdk25_aot,jdk25_c1"});
    assertTrue(chosen.coldOnly());
    assertEquals(List.of("jdk25_aot", "jdk25_c1"), ColdStartBench.select(chosen.coldVariants())
        .stream().map(ColdStartBench.Variant::name).toList());
    assertThrows(IllegalArgumentException.class,
        () -> Bench.Options.parse(new String[] {"--cold-variants=jdk25_default,jdk99"}));
    assertTrue(ColdStartBench.all().stream()
        .anyMatch(v -> v.name().equals(ColdStartBench.DEPLOYED)), "the deployed form is run");
  }

  @Test
  void anArchiveIsWrittenByItsTrainingFlagsAndRequiredByItsRunFlags() {
    java.nio.file.Path file = java.nio.file.Path.of("/tmp/x");
    assertEquals(List.of("-XX:AOTCacheOutput=/tmp/x"),
        ColdStartBench.trainingFlags(ColdStartBench.Archive.AOT, file));
    assertEquals(List.of("-XX:AOTCache=/tmp/x", "-XX:AOTMode=on"),
        ColdStartBench.usingFlags(ColdStartBench.Archive.AOT, file));
    assertEquals(List.of("-XX:SharedArchiveFile=/tmp/x", "-Xshare:on"),
        ColdStartBench.usingFlags(ColdStartBench.Archive.APPCDS, file));
    assertEquals(List.of(), ColdStartBench.trainingFlags(ColdStartBench.Archive.NONE, file));
  }

  @Test
  void aCycleSendsEveryTenantWriteOfTheCatalog() {
    assertEquals(List.of("createDocument", "createDocumentVersion", "setActiveVersion",
        "deleteDocumentVersion", "restoreDocumentVersion", "updateDocument", "deleteDocument",
        "restoreDocument"), Cycle.WRITES);
  }
}
