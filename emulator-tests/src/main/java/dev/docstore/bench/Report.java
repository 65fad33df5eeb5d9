package dev.docstore.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark's figures: one machine-readable {@code BENCH <name> <value> <unit>} line each,
 * and a readable table with the goal and whether it is met.
 */
public final class Report {
  /** One figure. {@code goal} is empty for figures that are only reported. */
  public record Figure(String section, String name, double value, String unit, String goal,
      Boolean met, String note) {}

  private final List<Figure> figures = new ArrayList<>();

  public synchronized void report(String section, String name, double value, String unit,
      String note) {
    add(new Figure(section, name, value, unit, "", null, note));
  }

  /** A figure with a goal of at most {@code max}. */
  public synchronized void atMost(String section, String name, double value, String unit,
      double max, String note) {
    add(new Figure(section, name, value, unit, "<= " + format(max),
        Double.isNaN(value) ? null : value <= max, note));
  }

  /** A figure with a goal of exactly {@code goal}. */
  public synchronized void exactly(String section, String name, double value, String unit,
      double goal, String note) {
    add(new Figure(section, name, value, unit, "= " + format(goal), value == goal, note));
  }

  private void add(Figure figure) {
    figures.add(figure);
    System.out.println("BENCH " + figure.name() + " " + format(figure.value()) + " "
        + figure.unit());
  }

  public synchronized List<Figure> figures() {
    return List.copyOf(figures);
  }

  public synchronized List<Figure> misses() {
    return figures.stream().filter(f -> Boolean.FALSE.equals(f.met())).toList();
  }

  static String format(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return String.format(Locale.ROOT, Math.abs(value) < 10 ? "%.3f" : "%.1f", value);
  }

  /** Prints every figure as a table, grouped by section, then the misses. */
  public synchronized void printTable(PrintStream out) {
    String section = null;
    String row = "%-46s %10s %-6s %-8s %-5s %s%n";
    for (Figure f : figures) {
      if (!f.section().equals(section)) {
        section = f.section();
        out.printf("%n== %s ==%n", section);
        out.printf(row, "figure", "value", "unit", "goal", "met", "note");
      }
      out.printf(row, f.name(), format(f.value()), f.unit(), f.goal(),
          f.met() == null ? "" : f.met() ? "yes" : "NO", f.note() == null ? "" : f.note());
    }
    List<Figure> misses = misses();
    out.printf("%n%d figure(s) miss their goal%s%n", misses.size(), misses.isEmpty() ? "."
        : ": " + String.join(", ", misses.stream().map(Figure::name).toList()));
  }
}
