package dev.docstore.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock the test moves by hand with {@link #advance}: either standing still at a start instant
 * ({@link #TestClock(Instant)}), or the system clock plus the offset advanced so far
 * ({@link #system()}), to expire records without sleeping.
 */
public final class TestClock extends Clock {
  private final Clock base;
  private volatile Duration offset = Duration.ZERO;

  /** A clock that stands at {@code start} until advanced. */
  public TestClock(Instant start) {
    this(Clock.fixed(start, ZoneOffset.UTC));
  }

  private TestClock(Clock base) {
    this.base = base;
  }

  /** The system clock, ahead of it by what {@link #advance} has added. */
  public static TestClock system() {
    return new TestClock(Clock.systemUTC());
  }

  public void advance(Duration by) {
    offset = offset.plus(by);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public Instant instant() {
    return base.instant().plus(offset);
  }
}
