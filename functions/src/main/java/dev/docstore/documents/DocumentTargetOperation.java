package dev.docstore.documents;

import dev.docstore.api.Operation;
import dev.docstore.input.JsonBody;
import dev.docstore.write.WriteOperation;

/** The writes whose body is a {@link DocumentTarget}, so they share its parsing. */
abstract class DocumentTargetOperation implements WriteOperation<DocumentTarget> {
  private final Operation operation;

  DocumentTargetOperation(Operation operation) {
    this.operation = operation;
  }

  @Override
  public final Operation operation() {
    return operation;
  }

  @Override
  public final DocumentTarget parse(JsonBody body) {
    return DocumentTarget.parse(body);
  }
}
