package dev.docstore.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TestClockTest {
  @Test
  void aClockAtAStartInstantStandsStillUntilAdvanced() {
    Instant start = Instant.parse("2026-06-01T12:00:00Z");
    TestClock clock = new TestClock(start);
    assertEquals(start, clock.instant());
    clock.advance(Duration.ofMinutes(5));
    clock.advance(Duration.ofSeconds(1));
    assertEquals(start.plusSeconds(301), clock.instant());
  }

  @Test
  void theSystemClockRunsAheadByWhatWasAdvanced() {
    TestClock clock = TestClock.system();
    Instant before = Instant.now();
    Instant now = clock.instant();
    assertFalse(now.isBefore(before));
    assertTrue(now.isBefore(before.plusSeconds(60)));
    clock.advance(Duration.ofHours(1));
    assertFalse(clock.instant().isBefore(before.plus(Duration.ofHours(1))));
  }
}
