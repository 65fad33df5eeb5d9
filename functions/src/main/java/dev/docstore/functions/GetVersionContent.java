package dev.docstore.functions;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.docstore.app.Docstore;
import dev.docstore.http.HttpEndpoint;
import dev.docstore.http.Reply;
import dev.docstore.operations.DocumentReads;
import java.io.IOException;

/** GET ?documentId=&version= → 200 raw bytes, the version's Content-Type, ETag = sha256. */
public final class GetVersionContent implements HttpFunction {
  private final HttpEndpoint endpoint;
  private final DocumentReads reads;

  public GetVersionContent() {
    this(Docstore.shared());
  }

  public GetVersionContent(Docstore app) {
    this.endpoint = new HttpEndpoint(app, "getVersionContent", "GET");
    this.reads = new DocumentReads(app);
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    endpoint.serve(request, response, call -> {
      call.allowQuery("documentId", "version");
      var content = reads.getVersionContent(call.caller(), call.requiredQuery("documentId"),
          call.requiredQuery("version"));
      return Reply.bytes(content.contentType(), content.bytes())
          .withHeader("ETag", "\"" + content.sha256() + "\"");
    });
  }
}
