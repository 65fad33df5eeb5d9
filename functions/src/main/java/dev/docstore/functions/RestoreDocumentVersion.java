package dev.docstore.functions;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.docstore.app.Docstore;
import dev.docstore.http.HttpEndpoint;
import dev.docstore.http.Reply;
import dev.docstore.operations.RestoreDocumentVersionOperation;
import dev.docstore.operations.VersionTarget;
import java.io.IOException;

/** POST {documentId, version} → 200 {document, version}; a live version is 409. */
public final class RestoreDocumentVersion implements HttpFunction {
  private final HttpEndpoint endpoint;
  private final RestoreDocumentVersionOperation operation;

  public RestoreDocumentVersion() {
    this(Docstore.shared());
  }

  public RestoreDocumentVersion(Docstore app) {
    this.endpoint = new HttpEndpoint(app, "restoreDocumentVersion", "POST");
    this.operation = new RestoreDocumentVersionOperation(app);
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    endpoint.serve(request, response, call -> {
      var target = VersionTarget.parse(RestoreDocumentVersionOperation.OP, call.jsonBody());
      return Reply.write(operation.execute(call.caller(), call.requestId(),
          call.idempotencyKey(), target));
    });
  }
}
