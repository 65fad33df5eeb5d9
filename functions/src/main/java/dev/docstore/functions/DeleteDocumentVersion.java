package dev.docstore.functions;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.docstore.app.Docstore;
import dev.docstore.http.HttpEndpoint;
import dev.docstore.http.Reply;
import dev.docstore.operations.DeleteDocumentVersionOperation;
import dev.docstore.operations.VersionTarget;
import java.io.IOException;

/** POST {documentId, version} → 200 {document, version}; the active version is 409. */
public final class DeleteDocumentVersion implements HttpFunction {
  private final HttpEndpoint endpoint;
  private final DeleteDocumentVersionOperation operation;

  public DeleteDocumentVersion() {
    this(Docstore.shared());
  }

  public DeleteDocumentVersion(Docstore app) {
    this.endpoint = new HttpEndpoint(app, "deleteDocumentVersion", "POST");
    this.operation = new DeleteDocumentVersionOperation(app);
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    endpoint.serve(request, response, call -> {
      var target = VersionTarget.parse(DeleteDocumentVersionOperation.OP, call.jsonBody());
      return Reply.write(operation.execute(call.caller(), call.requestId(),
          call.idempotencyKey(), target));
    });
  }
}
