package dev.docstore.functions;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.docstore.api.Operation;
import dev.docstore.app.Docstore;
import java.io.IOException;

/** POST {documentId} → 200 {document}: takes the document out of the trash. */
public final class RestoreDocument implements HttpFunction {
  private final Docstore docstore = Docstore.shared();

  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    docstore.serve(Operation.RESTORE_DOCUMENT, request, response);
  }
}
