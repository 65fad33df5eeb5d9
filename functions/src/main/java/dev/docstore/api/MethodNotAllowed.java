package dev.docstore.api;

/** The function was called with another HTTP method than the one it accepts. */
public final class MethodNotAllowed extends DocstoreException {
  private final String allowed;

  public MethodNotAllowed(Operation operation) {
    super(operation.functionName() + " accepts " + operation.method() + " only");
    this.allowed = operation.method();
  }

  /** The method the function accepts, for the Allow header. */
  public String allowed() {
    return allowed;
  }

  @Override
  public Condition condition() {
    return Condition.METHOD_NOT_ALLOWED;
  }
}
