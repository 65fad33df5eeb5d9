package dev.docstore.functions;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.docstore.api.Operation;
import dev.docstore.app.Docstore;
import java.io.IOException;

/** GET ?documentId=&pageSize=&pageToken= → 200 {versions: [...], nextPageToken?}, ascending. */
public final class ListVersions implements HttpFunction {
  private final Docstore docstore = Docstore.shared();

  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    docstore.serve(Operation.LIST_VERSIONS, request, response);
  }
}
