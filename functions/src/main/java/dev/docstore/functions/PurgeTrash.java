package dev.docstore.functions;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.docstore.api.Operation;
import dev.docstore.app.Docstore;
import java.io.IOException;

/**
 * POST → 200 {purged, finished, skipped}: removes for good the documents trashed longer than
 * TRASH_RETENTION, and finishes what earlier runs left. Run by Cloud Scheduler daily; private
 * (IAM only), no tenant credentials.
 */
public final class PurgeTrash implements HttpFunction {
  private final Docstore docstore = Docstore.shared();

  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    docstore.serve(Operation.PURGE_TRASH, request, response);
  }
}
