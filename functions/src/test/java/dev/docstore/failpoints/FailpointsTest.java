package dev.docstore.failpoints;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.spanner.ErrorCode;
import com.google.cloud.spanner.SpannerException;
import dev.docstore.api.Failpoint;
import dev.docstore.api.Operation;
import dev.docstore.api.Step;
import dev.docstore.config.Config;
import dev.docstore.config.ConfigException;
import io.grpc.Context;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The FAILPOINTS syntax, what each action does, and where failpoints are refused. */
class FailpointsTest {
  private static final Failpoint CREATE_CHECK =
      Operation.CREATE_DOCUMENT.failpoint(Step.AFTER_IDEMPOTENCY_CHECK);
  private static final Failpoint CREATE_COMMIT =
      Operation.CREATE_DOCUMENT.failpoint(Step.BEFORE_COMMIT);
  private static final Failpoint CREATE_PUBLISH =
      Operation.CREATE_DOCUMENT.failpoint(Step.AFTER_COMMIT_BEFORE_PUBLISH);
  private static final Failpoint ACTIVATE_COMMIT =
      Operation.SET_ACTIVE_VERSION.failpoint(Step.BEFORE_COMMIT);

  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "failpoints-test-deadline");
        t.setDaemon(true);
        return t;
      });

  private static Failpoints armed(String spec) {
    Map<String, String> env = new HashMap<>();
    env.put("SPANNER_EMULATOR_HOST", "localhost:9010");
    env.put("FAILPOINTS_ENABLED", "true");
    env.put("FAILPOINTS", spec);
    return Failpoints.from(Config.fromEnv(env));
  }

  @Test
  void registryHasTheDesignsPointsForEveryWrite() {
    Set<String> names = Operation.allFailpoints().stream().map(Failpoint::name)
        .collect(Collectors.toSet());
    for (String function : new String[] {"createDocument", "createDocumentVersion",
        "setActiveVersion", "deleteDocumentVersion", "restoreDocumentVersion"}) {
      for (String step : new String[] {"afterIdempotencyCheck", "beforeCommit",
          "afterCommitBeforePublish"}) {
        assertTrue(names.contains(function + "." + step), function + "." + step);
      }
    }
    assertTrue(names.contains("createDocument.afterDocumentInsert"));
    assertTrue(names.contains("deleteDocumentVersion.afterCommitBeforeObjectDelete"));
  }

  @Test
  void specArmsEachActionWithItsCount() {
    Failpoints fp = armed(CREATE_CHECK + "=error; " + CREATE_COMMIT + "=2*abort;"
        + CREATE_PUBLISH + "=delay(50);" + ACTIVATE_COMMIT + "=off;;");
    // error, unlimited
    for (int i = 0; i < 3; i++) {
      assertThrows(FailpointException.class, () -> fp.hit(CREATE_CHECK));
    }
    // abort, exactly twice, as Spanner's ABORTED so the client retries
    for (int i = 0; i < 2; i++) {
      SpannerException e = assertThrows(SpannerException.class, () -> fp.hit(CREATE_COMMIT));
      assertEquals(ErrorCode.ABORTED, e.getErrorCode());
    }
    assertDoesNotThrow(() -> fp.hit(CREATE_COMMIT));
    // delay
    long start = System.nanoTime();
    fp.hit(CREATE_PUBLISH);
    assertTrue(System.nanoTime() - start >= 45_000_000L, "delay(50) sleeps about 50 ms");
    // off, and points never armed
    assertDoesNotThrow(() -> fp.hit(ACTIVATE_COMMIT));
    assertDoesNotThrow(() -> fp.hit(
        Operation.SET_ACTIVE_VERSION.failpoint(Step.AFTER_IDEMPOTENCY_CHECK)));
  }

  @Test
  void aStepItsOperationDoesNotDeclareIsNoFailpoint() {
    assertThrows(IllegalArgumentException.class,
        () -> Operation.SET_ACTIVE_VERSION.failpoint(Step.AFTER_DOCUMENT_INSERT));
    assertThrows(IllegalArgumentException.class,
        () -> Operation.GET_DOCUMENT.failpoint(Step.BEFORE_COMMIT));
    assertEquals(0, Operation.GET_DOCUMENT.failpoints().size(), "a read has no failpoints");
    ConfigException e = assertThrows(ConfigException.class,
        () -> armed("setActiveVersion.afterDocumentInsert=error"));
    assertTrue(e.getMessage().contains("unknown failpoint"), e.getMessage());
  }

  @Test
  void countedErrorFiresThatManyTimes() {
    Failpoints fp = armed(CREATE_COMMIT + "=2*error");
    assertTrue(fp.fires(CREATE_COMMIT));
    assertTrue(fp.fires(CREATE_COMMIT));
    assertFalse(fp.fires(CREATE_COMMIT));
  }

  @Test
  void offAndClearDisarm() {
    Failpoints fp = armed(CREATE_COMMIT + "=error;" + CREATE_CHECK + "=error");
    fp.set(CREATE_COMMIT, "off");
    assertDoesNotThrow(() -> fp.hit(CREATE_COMMIT));
    assertThrows(FailpointException.class, () -> fp.hit(CREATE_CHECK));
    fp.clear();
    assertDoesNotThrow(() -> fp.hit(CREATE_CHECK));
  }

  @Test
  void programmaticApiUsesTheSameSyntax() {
    Failpoints fp = armed("");
    assertDoesNotThrow(() -> fp.hit(CREATE_COMMIT));
    fp.set(CREATE_COMMIT, "1*error");
    assertThrows(FailpointException.class, () -> fp.hit(CREATE_COMMIT));
    assertDoesNotThrow(() -> fp.hit(CREATE_COMMIT));
    assertThrows(ConfigException.class, () -> fp.set(CREATE_COMMIT, "explode"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "createDocument.beforeCommit",              // no '='
      "=error",                                   // no name
      "createDocument.nowhere=error",             // unknown point
      "somewhere=error",
      "createDocument.beforeCommit=",             // no action
      "createDocument.beforeCommit=explode",
      "createDocument.beforeCommit=ERROR",
      "createDocument.beforeCommit=2*",
      "createDocument.beforeCommit=*error",
      "createDocument.beforeCommit=-1*error",
      "createDocument.beforeCommit=2x error",
      "createDocument.beforeCommit=delay",
      "createDocument.beforeCommit=delay()",
      "createDocument.beforeCommit=delay(-5)",
      "createDocument.beforeCommit=delay(1.5)",
      "createDocument.beforeCommit=delay(50",
      "createDocument.beforeCommit=error;off",    // a bare action is not an entry
      "createDocument.beforeCommit=error,createDocument.afterIdempotencyCheck=error",
  })
  void badSpecsRefuseWithConfigException(String spec) {
    assertThrows(ConfigException.class, () -> armed(spec));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "createDocument.beforeCommit=99999999999*error",
      "createDocument.beforeCommit=99999999999999999999999999*abort",
      "createDocument.beforeCommit=delay(99999999999999999999)",
      "createDocument.beforeCommit=2147483648*delay(1)",
  })
  void hugeNumbersAreConfigErrorsNotNumberFormatExceptions(String spec) {
    ConfigException e = assertThrows(ConfigException.class, () -> armed(spec));
    assertTrue(e.getMessage().contains("too large"), e.getMessage());
  }

  @Test
  void largestCountIsAccepted() {
    Failpoints fp = armed(CREATE_COMMIT + "=2147483647*error");
    assertThrows(FailpointException.class, () -> fp.hit(CREATE_COMMIT));
  }

  @Test
  void disabledFailpointsAreInert() {
    Failpoints fp = Failpoints.disabled();
    assertDoesNotThrow(() -> fp.hit(CREATE_COMMIT));
    assertFalse(fp.fires(CREATE_COMMIT));
    assertThrows(IllegalStateException.class, () -> fp.set(CREATE_COMMIT, "error"));
    Failpoints fromConfig = Failpoints.from(Config.fromEnv(Map.of()));
    assertDoesNotThrow(() -> fromConfig.hit(CREATE_COMMIT));
  }

  @Test
  void specWithoutTheSwitchRefuses() {
    Map<String, String> env = Map.of("SPANNER_EMULATOR_HOST", "localhost:9010",
        "FAILPOINTS", CREATE_COMMIT + "=error");
    ConfigException e = assertThrows(ConfigException.class,
        () -> Failpoints.from(Config.fromEnv(env)));
    assertTrue(e.getMessage().contains("FAILPOINTS_ENABLED"));
  }

  @Test
  void failpointsWithoutAnEmulatorRefuseBeforeAnythingIsArmed() {
    assertThrows(ConfigException.class, () -> Config.fromEnv(Map.of(
        "FAILPOINTS_ENABLED", "true", "FAILPOINTS", CREATE_COMMIT + "=error")));
  }

  @Test
  void aDelayEndsAtTheRequestDeadline() throws Exception {
    Failpoints f = armed(CREATE_COMMIT + "=delay(5000)");
    // Taken before the deadline is set, so that the time slept is at least the deadline's 100 ms
    // however long this thread waits for a core in between.
    long start = System.nanoTime();
    Context.CancellableContext scope = Context.current()
        .withDeadlineAfter(100, TimeUnit.MILLISECONDS, TIMER);
    boolean[] expiredAfter = new boolean[1];
    try {
      scope.run(() -> {
        f.hit(CREATE_COMMIT);
        expiredAfter[0] = Context.current().getDeadline().isExpired();
      });
    } finally {
      scope.cancel(null);
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(millis >= 99 && millis < 2000,
        "delay(5000) under a 100 ms deadline sleeps until the deadline, slept " + millis + " ms");
    assertTrue(expiredAfter[0],
        "the cut delay returns past the deadline, so the commit after it cannot start");
  }
}
