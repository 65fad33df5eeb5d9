package dev.docstore.local;

import com.google.cloud.functions.invoker.BackgroundFunctionExecutor;
import com.google.cloud.functions.invoker.HttpFunctionExecutor;
import dev.docstore.api.Operation;
import dev.docstore.app.Docstore;
import dev.docstore.functions.EntryPoints;
import dev.docstore.functions.EntryPoints.EntryPoint;
import java.net.InetSocketAddress;
import javax.servlet.http.HttpServlet;
import org.eclipse.jetty.http.HttpGenerator;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;

/**
 * Every function of the deployable jar in one Jetty server, each at {@code /{functionName}},
 * executed by the Functions Framework's own executors, as Cloud Functions runs them.
 */
public final class LocalServer implements AutoCloseable {
  /**
   * Jetty 9.4 (inside the invoker) replaces a Content-Type it knows, matched regardless of case
   * and of a space after ";" ({@code text/plain; charset=UTF-8}, {@code application/json}, ...),
   * by its own spelling ({@code text/plain;charset=utf-8}) unless this property is true when its
   * {@code HttpGenerator} class loads. A version's contentType is served back byte for byte, so
   * every JVM that serves the functions sets it: this server, and the deployment
   * ({@code JAVA_TOOL_OPTIONS} in infra/terraform). docs/EMULATORS.md has the measurement.
   */
  public static final String JETTY_STRICT_CONTENT_TYPE =
      "org.eclipse.jetty.http.HttpGenerator.STRICT";

  private final Server server;

  private LocalServer(Server server) {
    this.server = server;
  }

  /**
   * Serves the functions of {@code docstore} on {@code port} (0 picks a free one). The function
   * classes are instantiated here, with their no-arg constructors, as the framework does.
   */
  public static LocalServer start(Docstore docstore, String host, int port) {
    System.setProperty(JETTY_STRICT_CONTENT_TYPE, "true");
    if (!HttpGenerator.__STRICT) {
      throw new IllegalStateException("Jetty's HttpGenerator was loaded before "
          + JETTY_STRICT_CONTENT_TYPE + " was set: start the JVM with -D"
          + JETTY_STRICT_CONTENT_TYPE + "=true, or Content-Type values would be rewritten");
    }
    Docstore.install(docstore);
    Server server = new Server(new InetSocketAddress(host, port));
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    for (EntryPoint entry : EntryPoints.ALL) {
      HttpServlet executor = entry.trigger() == Operation.Trigger.CLOUD_EVENT
          ? BackgroundFunctionExecutor.forClass(entry.target())
          : HttpFunctionExecutor.forClass(entry.target());
      context.addServlet(new ServletHolder(executor), "/" + entry.name());
    }
    server.setHandler(context);
    try {
      server.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the local server on port " + port, e);
    }
    return new LocalServer(server);
  }

  public int port() {
    return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
