package dev.docstore.functions;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.docstore.api.Operation;
import dev.docstore.app.Docstore;
import java.io.IOException;

/** POST {documentId, title} → 200 {document}: renames the document. */
public final class UpdateDocument implements HttpFunction {
  private final Docstore docstore = Docstore.shared();

  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    docstore.serve(Operation.UPDATE_DOCUMENT, request, response);
  }
}
