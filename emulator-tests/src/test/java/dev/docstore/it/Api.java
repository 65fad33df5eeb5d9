package dev.docstore.it;

import dev.docstore.api.Operation;
import dev.docstore.testing.DocstoreClient;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The client of the functions as the local stack serves them, for the tests: requests start as
 * tenant "t-default", user "u-default". Every exchange that {@link Request#send()} makes is
 * recorded and checked against {@code docs/openapi.yaml} ({@link OpenApiContract}): a violation
 * fails the test at once. {@link #raw} is exempt, but for the rule that no answer names the
 * server software (no {@code Server} header), which holds for every exchange.
 */
public final class Api extends DocstoreClient {
  private final OpenApiContract contract = OpenApiContract.get();
  private final List<OpenApiContract.Exchange> exchanges = new CopyOnWriteArrayList<>();

  Api(String baseUrl) {
    super(baseUrl, "t-default", "u-default");
    onExchange(this::check);
  }

  /** A POST to the operation's function, whatever method it accepts. */
  public Request post(Operation operation) {
    return post(operation.functionName());
  }

  /** A GET of the operation's function, whatever method it accepts. */
  public Request get(Operation operation) {
    return get(operation.functionName());
  }

  /** A CORS preflight of the operation's function. */
  public Request options(Operation operation) {
    return options(operation.functionName());
  }

  /** Every exchange sent so far through {@link Request#send()}, each already checked. */
  public List<OpenApiContract.Exchange> exchanges() {
    return List.copyOf(exchanges);
  }

  private void check(DocstoreClient.Exchange sent) {
    Response response = sent.response();
    OpenApiContract.Exchange exchange = new OpenApiContract.Exchange(sent.method(), sent.path(),
        sent.query(), sent.requestHeaders(), sent.requestBody(), response.status(),
        response.headers(), response.body());
    exchanges.add(exchange);
    assertAnonymous(response);
    contract.check(exchange);
  }

  /**
   * The status of {@link #raw} for {@code method target} with these header lines, which may
   * repeat a header (java.net.http and {@link Request} send each name once), and a JSON body
   * unless {@code json} is null.
   */
  public int rawStatus(String method, String target, List<String> headerLines, String json) {
    StringBuilder head = new StringBuilder(method + " " + target
        + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
    headerLines.forEach(line -> head.append(line).append("\r\n"));
    byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
    if (json != null) {
      head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length)
          .append("\r\n");
    }
    byte[] headBytes = head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    byte[] request = Arrays.copyOf(headBytes, headBytes.length + body.length);
    System.arraycopy(body, 0, request, headBytes.length, body.length);
    return raw(request).status();
  }

  /**
   * Sends raw bytes over a socket, for what java.net.http refuses to send (control characters
   * and non-ASCII bytes in headers, malformed request lines). The request should ask for
   * {@code Connection: close}: the answer is read to the end of the stream. Not checked against
   * the contract, only for the server software it must not name.
   */
  public Response raw(byte[] request) {
    URI uri = URI.create(baseUrl());
    byte[] answer;
    try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(request);
      socket.getOutputStream().flush();
      answer = socket.getInputStream().readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    String text = new String(answer, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      throw new AssertionError("not an HTTP answer: " + text);
    }
    String[] lines = text.substring(0, end).split("\r\n");
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.merge(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).trim(), (a, b) -> a + "," + b);
    }
    Response response = new Response(Integer.parseInt(lines[0].split(" ")[1]), headers,
        Arrays.copyOfRange(answer, end + 4, answer.length));
    assertAnonymous(response);
    return response;
  }

  /**
   * Sends raw bytes over a socket and returns the response's status line and header lines
   * exactly as they came over the wire (one char per byte, ISO-8859-1), for what java.net.http
   * would not show as sent (a header's exact bytes). Reads only the head, so the request may
   * keep its connection open.
   */
  public List<String> rawHead(byte[] request) {
    URI uri = URI.create(baseUrl());
    try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(request);
      socket.getOutputStream().flush();
      java.io.BufferedReader reader = new java.io.BufferedReader(new java.io.InputStreamReader(
          socket.getInputStream(), StandardCharsets.ISO_8859_1));
      List<String> head = new java.util.ArrayList<>();
      for (String line = reader.readLine(); line != null && !line.isEmpty();
          line = reader.readLine()) {
        head.add(line);
      }
      return head;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** No answer of the local stack names its server software. */
  private static void assertAnonymous(Response response) {
    if (response.header("Server") != null) {
      throw new AssertionError("the answer names its server: Server: "
          + response.header("Server") + "\n" + response);
    }
  }
}
