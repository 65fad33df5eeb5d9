package dev.docstore.local;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.docstore.app.Docstore;
import java.io.IOException;

/**
 * What the local server runs for a path no function serves: the functions' own 404 not_found
 * problem+json. A one-line delegation, run by the Functions Framework's executor like the
 * functions of the jar.
 */
public final class UnknownPath implements HttpFunction {
  @Override
  public void service(HttpRequest request, HttpResponse response) throws IOException {
    Docstore.shared().serveUnknownPath(request, response);
  }
}
