package dev.docstore.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Latency samples of one operation, in milliseconds; thread-safe. */
public final class Samples {
  private final List<Double> millis = new ArrayList<>();

  public synchronized void add(double ms) {
    millis.add(ms);
  }

  public synchronized int count() {
    return millis.size();
  }

  /** The p-th percentile (0 < p <= 100) by the nearest-rank method; NaN when empty. */
  public synchronized double percentile(double p) {
    return percentile(millis, p);
  }

  /**
   * Nearest rank: the smallest sample such that at least p% of the samples are at or below it.
   */
  static double percentile(List<Double> values, double p) {
    if (p <= 0 || p > 100) {
      throw new IllegalArgumentException("percentile out of (0, 100]: " + p);
    }
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(rank, 1) - 1);
  }

  /** {@code a / b}, NaN when either is not a positive number. */
  static double ratio(double a, double b) {
    return a > 0 && b > 0 ? a / b : Double.NaN;
  }
}
