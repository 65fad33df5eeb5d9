package dev.docstore.functions;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.docstore.api.Operation;
import dev.docstore.app.Docstore;
import java.io.IOException;

/** POST {documentId, content | contentBase64, contentType?, activate?} → 201 {document, version}. */
public final class CreateDocumentVersion implements HttpFunction {
  private final Docstore docstore = Docstore.shared();

  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    docstore.serve(Operation.CREATE_DOCUMENT_VERSION, request, response);
  }
}
