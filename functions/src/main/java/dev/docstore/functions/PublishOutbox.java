package dev.docstore.functions;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.docstore.app.Docstore;
import dev.docstore.http.HttpEndpoint;
import dev.docstore.http.Reply;
import dev.docstore.outbox.OutboxRelay;
import java.io.IOException;

/**
 * POST → 200 {published, failed}: republishes outbox events whose post-commit publish did not
 * happen. Run by Cloud Scheduler every minute; private (IAM only), no tenant credentials.
 */
public final class PublishOutbox implements HttpFunction {
  private final HttpEndpoint endpoint;
  private final Docstore app;

  public PublishOutbox() {
    this(Docstore.shared());
  }

  public PublishOutbox(Docstore app) {
    this.app = app;
    this.endpoint = HttpEndpoint.internal(app, "publishOutbox", "POST");
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    endpoint.serve(request, response, call -> {
      OutboxRelay.Result result = app.outboxRelay().run();
      var body = app.json().createObjectNode()
          .put("published", result.published())
          .put("failed", result.failed());
      return Reply.json(app.json(), 200, body);
    });
  }
}
