package dev.docstore.functions;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.docstore.app.Docstore;
import dev.docstore.http.HttpEndpoint;
import dev.docstore.http.Reply;
import dev.docstore.operations.SetActiveVersionOperation;
import dev.docstore.operations.VersionTarget;
import java.io.IOException;

/** POST {documentId, version} → 200 {document}. */
public final class SetActiveVersion implements HttpFunction {
  private final HttpEndpoint endpoint;
  private final SetActiveVersionOperation operation;

  public SetActiveVersion() {
    this(Docstore.shared());
  }

  public SetActiveVersion(Docstore app) {
    this.endpoint = new HttpEndpoint(app, "setActiveVersion", "POST");
    this.operation = new SetActiveVersionOperation(app);
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    endpoint.serve(request, response, call -> {
      var target = VersionTarget.parse(SetActiveVersionOperation.OP, call.jsonBody());
      return Reply.write(operation.execute(call.caller(), call.requestId(),
          call.idempotencyKey(), target));
    });
  }
}
