package dev.docstore.versions;

import dev.docstore.api.Operation;
import dev.docstore.input.JsonBody;
import dev.docstore.write.WriteOperation;

/** The writes whose body is a {@link VersionTarget}, so they share its parsing. */
abstract class VersionTargetOperation implements WriteOperation<VersionTarget> {
  private final Operation operation;

  VersionTargetOperation(Operation operation) {
    this.operation = operation;
  }

  @Override
  public final Operation operation() {
    return operation;
  }

  @Override
  public final VersionTarget parse(JsonBody body) {
    return VersionTarget.parse(body);
  }
}
