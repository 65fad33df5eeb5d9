package dev.docstore.functions;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.docstore.app.Docstore;
import dev.docstore.http.HttpEndpoint;
import dev.docstore.http.Reply;
import dev.docstore.operations.UsageReads;
import java.io.IOException;

/** GET ?from=YYYY-MM-DD&to=YYYY-MM-DD → 200 {days: [{day, operation, count}]}. */
public final class GetUsage implements HttpFunction {
  private final HttpEndpoint endpoint;
  private final UsageReads reads;
  private final Docstore app;

  public GetUsage() {
    this(Docstore.shared());
  }

  public GetUsage(Docstore app) {
    this.app = app;
    this.endpoint = new HttpEndpoint(app, "getUsage", "GET");
    this.reads = new UsageReads(app);
  }

  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    endpoint.serve(request, response, call -> {
      call.allowQuery("from", "to");
      var body = reads.getUsage(call.caller(), call.requiredQuery("from"),
          call.requiredQuery("to"));
      return Reply.json(app.json(), 200, body);
    });
  }
}
