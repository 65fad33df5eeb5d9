package dev.docstore.functions;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.docstore.app.Docstore;
import dev.docstore.http.HttpEndpoint;
import dev.docstore.http.Reply;
import dev.docstore.operations.DocumentReads;
import java.io.IOException;

/** GET ?pageSize=&pageToken= → 200 {documents: [...], nextPageToken?}, newest first. */
public final class ListDocuments implements HttpFunction {
  private final HttpEndpoint endpoint;
  private final DocumentReads reads;
  private final Docstore app;

  public ListDocuments() {
    this(Docstore.shared());
  }

  public ListDocuments(Docstore app) {
    this.app = app;
    this.endpoint = new HttpEndpoint(app, "listDocuments", "GET");
    this.reads = new DocumentReads(app);
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    endpoint.serve(request, response, call -> {
      call.allowQuery("pageSize", "pageToken");
      var body = reads.listDocuments(call.caller(), call.query("pageSize"),
          call.query("pageToken"));
      return Reply.json(app.json(), 200, body);
    });
  }
}
