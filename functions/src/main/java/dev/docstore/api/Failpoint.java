package dev.docstore.api;

import java.util.Objects;

/**
 * One failpoint, {@code {function}.{step}}. Only {@link Operation#failpoint} makes one, so a
 * failpoint that its operation does not declare cannot exist.
 */
public final class Failpoint {
  private final Operation operation;
  private final Step step;
  private final String name;

  Failpoint(Operation operation, Step step) {
    this.operation = Objects.requireNonNull(operation);
    this.step = Objects.requireNonNull(step);
    this.name = operation.functionName() + "." + step.stepName();
  }

  public Operation operation() {
    return operation;
  }

  public Step step() {
    return step;
  }

  public Step.Phase phase() {
    return step.phase();
  }

  /** {@code {function}.{step}}, the name the FAILPOINTS variable uses. */
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return name;
  }
}
