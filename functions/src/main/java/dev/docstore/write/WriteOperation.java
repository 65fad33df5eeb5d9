package dev.docstore.write;

import dev.docstore.api.Operation;
import dev.docstore.input.JsonBody;

/**
 * One write, as the HTTP layer drives it: which operation of the catalog it is, how its body is
 * validated, and the flow that runs it through the {@link WriteShape}.
 *
 * @param <I> the validated input
 */
public interface WriteOperation<I> {
  Operation operation();

  /** Validates the body: a 4xx before any I/O. */
  I parse(JsonBody body);

  /**
   * Whether the write acts on an existing document, and so takes {@code If-Match}. A write that
   * creates one (createDocument) has no current etag to match: the header is a 400 there.
   */
  default boolean onExistingDocument() {
    return true;
  }

  /** The flow of one request. */
  WriteFlow flow(WriteRequest request, I input);
}
