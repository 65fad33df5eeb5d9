package dev.docstore.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An HTTP/1.1 proxy in front of the local stack that fails the way a mobile network does, per
 * request, by a seeded draw: it resets some connections before the request is forwarded (the
 * server never sees it), <em>drops some answers after the server has processed the request</em>
 * (the client sees a reset and cannot know the write happened), delays others, and forwards the
 * rest as they are. Where {@link FaultProxy} breaks TCP streams without knowing what they carry,
 * this one knows where a request ends and its answer begins, which is what "the effect happened
 * but its answer was lost" needs.
 *
 * <p>One request per connection: every answer it sends says {@code Connection: close}. Request
 * bodies must carry {@code Content-Length} (fetch and every JSON client send it).
 */
public final class HttpFaultProxy implements AutoCloseable {
  /** What happens to one request. */
  public enum Fault {
    FORWARD,
    DELAY,
    RESET_BEFORE_FORWARDING,
    DROP_ANSWER
  }

  /**
   * The shares of requests (each 0 to 1, summing to at most 1) that are reset before forwarding,
   * whose answers are dropped, and that are delayed by {@code delay}; the rest is forwarded.
   */
  public record Plan(double resetBefore, double dropAnswer, double delayed, Duration delay,
      long seed) {
    public Plan {
      if (resetBefore < 0 || dropAnswer < 0 || delayed < 0
          || resetBefore + dropAnswer + delayed > 1) {
        throw new IllegalArgumentException("shares must be at least 0 and sum to at most 1");
      }
    }
  }

  private static final int MAX_HEAD_BYTES = 64 * 1024;
  /** Hop-by-hop headers, and those the JDK client sets itself. */
  private static final Set<String> NOT_FORWARDED = Set.of("connection", "content-length", "host",
      "keep-alive", "transfer-encoding", "upgrade", "expect", "proxy-connection", "te");

  private final URI upstream;
  private final Plan plan;
  private final Random random;
  private final ServerSocket server;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "http-fault-proxy");
    t.setDaemon(true);
    return t;
  });
  private final Map<Fault, AtomicLong> counts = Map.of(Fault.FORWARD, new AtomicLong(),
      Fault.DELAY, new AtomicLong(), Fault.RESET_BEFORE_FORWARDING, new AtomicLong(),
      Fault.DROP_ANSWER, new AtomicLong());
  private volatile boolean closed;

  private HttpFaultProxy(URI upstream, Plan plan) throws IOException {
    this.upstream = upstream;
    this.plan = plan;
    this.random = new Random(plan.seed());
    this.server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
    threads.execute(this::acceptLoop);
  }

  /** A proxy on a free loopback port in front of {@code upstreamBaseUrl} ({@code http://h:p}). */
  public static HttpFaultProxy start(String upstreamBaseUrl, Plan plan) {
    try {
      return new HttpFaultProxy(URI.create(upstreamBaseUrl.replaceAll("/+$", "")), plan);
    } catch (IOException e) {
      throw new IllegalStateException("cannot open a proxy port", e);
    }
  }

  /** The base URL to give the client in place of the server's. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  /** Requests that met {@code fault} so far. */
  public long count(Fault fault) {
    return counts.get(fault).get();
  }

  /** Requests the server received: all but those reset before forwarding. */
  public long forwarded() {
    return count(Fault.FORWARD) + count(Fault.DELAY) + count(Fault.DROP_ANSWER);
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    threads.shutdownNow();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = server.accept();
        threads.execute(() -> serve(client));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private Fault draw() {
    double x;
    synchronized (random) {
      x = random.nextDouble();
    }
    if (x < plan.resetBefore()) {
      return Fault.RESET_BEFORE_FORWARDING;
    }
    if (x < plan.resetBefore() + plan.dropAnswer()) {
      return Fault.DROP_ANSWER;
    }
    if (x < plan.resetBefore() + plan.dropAnswer() + plan.delayed()) {
      return Fault.DELAY;
    }
    return Fault.FORWARD;
  }

  private void serve(Socket client) {
    try (client) {
      client.setTcpNoDelay(true);
      InputStream in = client.getInputStream();
      Request request = Request.read(in);
      if (request == null) {
        return; // the client closed before sending a request
      }
      Fault fault = draw();
      counts.get(fault).incrementAndGet();
      if (fault == Fault.RESET_BEFORE_FORWARDING) {
        FaultProxy.abort(client);
        return;
      }
      HttpResponse<byte[]> answer = forward(request);
      if (fault == Fault.DROP_ANSWER) {
        FaultProxy.abort(client);
        return;
      }
      if (fault == Fault.DELAY) {
        Thread.sleep(plan.delay().toMillis());
      }
      write(answer, client.getOutputStream());
    } catch (IOException | InterruptedException e) {
      FaultProxy.abort(client);
    }
  }

  private HttpResponse<byte[]> forward(Request request) throws IOException, InterruptedException {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(upstream + request.target()))
        .timeout(Duration.ofSeconds(60))
        .method(request.method(), request.body().length == 0 && !request.method().equals("POST")
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(request.body()));
    for (String[] header : request.headers()) {
      if (!NOT_FORWARDED.contains(header[0].toLowerCase(Locale.ROOT))) {
        builder.header(header[0], header[1]);
      }
    }
    return http.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static void write(HttpResponse<byte[]> answer, OutputStream out) throws IOException {
    StringBuilder head = new StringBuilder("HTTP/1.1 ").append(answer.statusCode())
        .append(" -\r\n");
    answer.headers().map().forEach((name, values) -> {
      if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
        values.forEach(v -> head.append(name).append(": ").append(v).append("\r\n"));
      }
    });
    head.append("Content-Length: ").append(answer.body().length).append("\r\n")
        .append("Connection: close\r\n\r\n");
    // One write: a head and a body sent apart meet Nagle and the peer's delayed ACK.
    ByteArrayOutputStream whole = new ByteArrayOutputStream();
    whole.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    whole.write(answer.body());
    out.write(whole.toByteArray());
    out.flush();
  }

  /** One HTTP/1.1 request as read off the connection. */
  private record Request(String method, String target, List<String[]> headers, byte[] body) {
    static Request read(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int matched = 0;
      while (matched < 4) {
        int b = in.read();
        if (b < 0) {
          if (head.size() == 0) {
            return null;
          }
          throw new IOException("the request ended inside its head");
        }
        head.write(b);
        matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        if (head.size() > MAX_HEAD_BYTES) {
          throw new IOException("request head over " + MAX_HEAD_BYTES + " bytes");
        }
      }
      String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
      String[] requestLine = lines[0].split(" ");
      List<String[]> headers = new ArrayList<>();
      int length = 0;
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon <= 0) {
          continue;
        }
        String name = lines[i].substring(0, colon).trim();
        String value = lines[i].substring(colon + 1).trim();
        headers.add(new String[] {name, value});
        if (name.equalsIgnoreCase("content-length")) {
          length = Integer.parseInt(value);
        } else if (name.equalsIgnoreCase("transfer-encoding")) {
          throw new IOException("chunked request bodies are not supported; send Content-Length");
        }
      }
      return new Request(requestLine[0], requestLine[1], headers, in.readNBytes(length));
    }
  }
}
