package dev.docstore.functions;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.docstore.app.Docstore;
import dev.docstore.http.HttpEndpoint;
import dev.docstore.http.Reply;
import dev.docstore.operations.DocumentReads;
import java.io.IOException;

/** GET ?documentId= → 200 {document, versions: [...]}. */
public final class GetDocument implements HttpFunction {
  private final HttpEndpoint endpoint;
  private final DocumentReads reads;
  private final Docstore app;

  public GetDocument() {
    this(Docstore.shared());
  }

  public GetDocument(Docstore app) {
    this.app = app;
    this.endpoint = new HttpEndpoint(app, "getDocument", "GET");
    this.reads = new DocumentReads(app);
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    endpoint.serve(request, response, call -> {
      call.allowQuery("documentId");
      var body = reads.getDocument(call.caller(), call.requiredQuery("documentId"));
      return Reply.json(app.json(), 200, body);
    });
  }
}
