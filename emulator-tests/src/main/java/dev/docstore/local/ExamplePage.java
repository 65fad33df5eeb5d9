package dev.docstore.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * The example page of the TypeScript client (clients/typescript/example), built into
 * {@code directory}: {@code /} is its index.html, {@code /app.js} its one script. Local only: the
 * deployed functions serve no page. The files are read on every request, so a rebuilt page is
 * served without a restart, and a page not built yet answers 404 saying how to build it.
 */
final class ExamplePage extends HttpServlet {
  /** The variable that names the built page's directory; unset, the stack serves no page. */
  static final String DIRECTORY_VARIABLE = "LOCAL_PAGE_DIR";
  /** Each path served, with its file and type. */
  static final Map<String, String[]> FILES = Map.of(
      "", new String[] {"index.html", "text/html; charset=utf-8"},
      "/app.js", new String[] {"app.js", "text/javascript; charset=utf-8"});

  private final Path directory;

  ExamplePage(Path directory) {
    this.directory = directory;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    String[] file = FILES.get(request.getServletPath());
    response.setHeader("Cache-Control", "no-store");
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(directory.resolve(file[0]));
    } catch (NoSuchFileException e) {
      response.setStatus(404);
      response.setContentType("text/plain; charset=utf-8");
      response.getWriter().println("the example page is not built: run `npm ci && npm run build`"
          + " in clients/typescript (./run-local does)");
      return;
    }
    response.setContentType(file[1]);
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
  }
}
