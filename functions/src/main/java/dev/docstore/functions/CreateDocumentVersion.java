package dev.docstore.functions;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.docstore.app.Docstore;
import dev.docstore.http.HttpEndpoint;
import dev.docstore.http.Reply;
import dev.docstore.operations.CreateDocumentVersionOperation;
import java.io.IOException;

/** POST {documentId, content | contentBase64, contentType?, activate?} → 201 {document, version}. */
public final class CreateDocumentVersion implements HttpFunction {
  private final HttpEndpoint endpoint;
  private final CreateDocumentVersionOperation operation;

  public CreateDocumentVersion() {
    this(Docstore.shared());
  }

  public CreateDocumentVersion(Docstore app) {
    this.endpoint = new HttpEndpoint(app, "createDocumentVersion", "POST");
    this.operation = new CreateDocumentVersionOperation(app);
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    endpoint.serve(request, response, call -> {
      var input = operation.parse(call.jsonBody());
      return Reply.write(operation.execute(call.caller(), call.requestId(),
          call.idempotencyKey(), input));
    });
  }
}
