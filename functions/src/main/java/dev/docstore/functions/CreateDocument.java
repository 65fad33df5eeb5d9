package dev.docstore.functions;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.docstore.app.Docstore;
import dev.docstore.http.HttpEndpoint;
import dev.docstore.http.Reply;
import dev.docstore.operations.CreateDocumentOperation;
import java.io.IOException;

/** POST {title, content | contentBase64, contentType?} → 201 {document, version}. */
public final class CreateDocument implements HttpFunction {
  private final HttpEndpoint endpoint;
  private final CreateDocumentOperation operation;

  public CreateDocument() {
    this(Docstore.shared());
  }

  public CreateDocument(Docstore app) {
    this.endpoint = new HttpEndpoint(app, "createDocument", "POST");
    this.operation = new CreateDocumentOperation(app);
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
