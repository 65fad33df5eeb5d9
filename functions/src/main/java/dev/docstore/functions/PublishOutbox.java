package dev.docstore.functions;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.docstore.api.Operation;
import dev.docstore.app.Docstore;
import java.io.IOException;

/**
 * POST → 200 {published, failed, unmarked}: republishes outbox events whose post-commit publish
 * did not happen. Run by Cloud Scheduler every minute; private (IAM only), no tenant credentials.
 */
public final class PublishOutbox implements HttpFunction {
  private final Docstore docstore = Docstore.shared();

  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    docstore.serve(Operation.PUBLISH_OUTBOX, request, response);
  }
}
