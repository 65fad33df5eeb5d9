package dev.docstore.local;

import com.google.cloud.functions.invoker.BackgroundFunctionExecutor;
import com.google.cloud.functions.invoker.HttpFunctionExecutor;
import dev.docstore.api.Operation;
import dev.docstore.app.Docstore;
import dev.docstore.functions.EntryPoints;
import dev.docstore.functions.EntryPoints.EntryPoint;
import dev.docstore.http.HttpEndpoints.ServerProblem;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Optional;
import javax.servlet.DispatcherType;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpGenerator;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.servlet.FilterHolder;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * Every function of the deployable jar in one Jetty server, each at {@code /{functionName}},
 * executed by the Functions Framework's own executors, as Cloud Functions runs them. Every other
 * path, with any method, is answered by the functions' own {@link UnknownPath} (404 not_found
 * problem+json); the requests Jetty refuses before routing (malformed, headers too large) and
 * the bare error statuses of the framework's executors get a problem too, through
 * {@link Docstore#serverProblem}: no answer is an HTML page or an empty error, and none names the
 * server software. Its threads are daemons: a failed start never keeps a JVM alive.
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
  private final ServerConnector connector;
  private Path page;

  private LocalServer(Server server, ServerConnector connector) {
    this.server = server;
    this.connector = connector;
  }

  /**
   * Serves the functions of {@code docstore} on {@code port} (0 picks a free one). The function
   * classes are instantiated here, with their no-arg constructors, as the framework does.
   */
  public static LocalServer start(Docstore docstore, String host, int port) {
    return bind(host, port).serve(docstore);
  }

  /**
   * Takes {@code host:port} now, serving nothing yet, so that a taken port fails before anything
   * else starts. Throws {@link PortTaken} when the port cannot be had.
   */
  public static LocalServer bind(String host, int port) {
    System.setProperty(JETTY_STRICT_CONTENT_TYPE, "true");
    if (!HttpGenerator.__STRICT) {
      throw new IllegalStateException("Jetty's HttpGenerator was loaded before "
          + JETTY_STRICT_CONTENT_TYPE + " was set: start the JVM with -D"
          + JETTY_STRICT_CONTENT_TYPE + "=true, or Content-Type values would be rewritten");
    }
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("local-server");
    threads.setDaemon(true);
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    ServerConnector connector = new ServerConnector(server, null,
        new ScheduledExecutorScheduler("local-server-scheduler", true), null, -1, -1,
        new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    try {
      connector.open();
    } catch (IOException e) {
      connector.close();
      throw new PortTaken(host, port, e);
    }
    return new LocalServer(server, connector);
  }

  /** Serves the client's example page, built into {@code directory}, at {@code /}. */
  public LocalServer page(Path directory) {
    this.page = directory;
    return this;
  }

  /** The page's URL, when {@link #page} serves one. */
  public Optional<String> pageUrl() {
    return page == null ? Optional.empty() : Optional.of(baseUrl() + "/");
  }

  /** Starts serving the functions of {@code docstore} on the bound port. */
  public LocalServer serve(Docstore docstore) {
    Docstore.install(docstore);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    for (EntryPoint entry : EntryPoints.ALL) {
      HttpServlet executor = entry.trigger() == Operation.Trigger.CLOUD_EVENT
          ? BackgroundFunctionExecutor.forClass(entry.target())
          : HttpFunctionExecutor.forClass(entry.target());
      context.addServlet(new ServletHolder(executor), "/" + entry.name());
    }
    if (page != null) {
      ServletHolder files = new ServletHolder(new ExamplePage(page));
      // "" is the context root exactly, "/" itself.
      ExamplePage.FILES.keySet().forEach(path -> context.addServlet(files, path));
    }
    // "/" is the servlet default: whatever no exact mapping above takes.
    context.addServlet(new ServletHolder(HttpFunctionExecutor.forClass(UnknownPath.class)), "/");
    context.addFilter(new FilterHolder(new ProblemBodies(docstore)), "/*",
        EnumSet.of(DispatcherType.REQUEST));
    ProblemErrors errors = new ProblemErrors(docstore);
    context.setErrorHandler(errors);
    server.setErrorHandler(errors);
    server.setHandler(context);
    try {
      server.start();
    } catch (Exception e) {
      close();
      throw new IllegalStateException("cannot start the local server on port " + port(), e);
    }
    return this;
  }

  public int port() {
    return connector.getLocalPort();
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
    } finally {
      connector.close();
    }
  }

  /** The port is in use (or otherwise refused): nothing was started. */
  public static final class PortTaken extends IllegalStateException {
    PortTaken(String host, int port, IOException cause) {
      super("cannot listen on " + host + ":" + port + " ("
          + (cause.getCause() != null ? cause.getCause().getMessage() : cause.getMessage())
          + "); stop what uses it or set PORT to another port", cause);
    }
  }

  /**
   * A bare error status with no body, as the framework's executors answer when a function throws
   * or a CloudEvent cannot be read ({@code GET /analyticsSubscriber} is a bare 500), gets the
   * functions' problem body for that status. Answers that have a body are left alone.
   */
  private static final class ProblemBodies implements Filter {
    private final Docstore docstore;

    ProblemBodies(Docstore docstore) {
      this.docstore = docstore;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
        throws IOException, ServletException {
      chain.doFilter(request, response);
      HttpServletResponse http = (HttpServletResponse) response;
      if (http.getStatus() >= 400 && http.getContentType() == null && !http.isCommitted()) {
        http.resetBuffer();
        answer(docstore.serverProblem(http.getStatus(), Optional.ofNullable(
            ((HttpServletRequest) request).getHeader("X-Request-Id"))), http);
      }
    }
  }

  private static void answer(ServerProblem problem, HttpServletResponse response)
      throws IOException {
    problem.headers().forEach(response::setHeader);
    response.setContentLength(problem.body().length);
    try (OutputStream out = response.getOutputStream()) {
      out.write(problem.body());
    }
  }

  /**
   * Jetty's own error answers, as the functions' problem+json: for requests it refuses before any
   * servlet (bad request line, bad header, headers or URI too large) and any error it reports
   * while dispatching.
   */
  private static final class ProblemErrors extends ErrorHandler {
    private final Docstore docstore;

    ProblemErrors(Docstore docstore) {
      this.docstore = docstore;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields fields) {
      ServerProblem problem = docstore.serverProblem(status, Optional.empty());
      problem.headers().forEach(fields::put);
      return ByteBuffer.wrap(problem.body());
    }

    @Override
    public void handle(String target, Request baseRequest, HttpServletRequest request,
        HttpServletResponse response) throws IOException {
      answer(docstore.serverProblem(response.getStatus(),
          Optional.ofNullable(request.getHeader("X-Request-Id"))), response);
      baseRequest.setHandled(true);
    }
  }
}
