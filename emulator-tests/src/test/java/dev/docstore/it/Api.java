package dev.docstore.it;

import dev.docstore.api.Operation;
import dev.docstore.testing.DocstoreClient;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The client of the functions as the local stack serves them, for the tests: requests start as
 * tenant "t-default", user "u-default". Every exchange that {@link Request#send()} makes is
 * recorded and checked against {@code docs/openapi.yaml} ({@link OpenApiContract}): a violation
 * fails the test at once. {@link #rawStatus} is exempt.
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
    contract.check(exchange);
  }

  /**
   * {@link #rawStatus(byte[])} of {@code method target} with these header lines, which may
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
    return rawStatus(request);
  }

  /**
   * Sends raw bytes over a socket, for what java.net.http refuses to send (control characters
   * and non-ASCII bytes in headers). Returns the status code.
   */
  public int rawStatus(byte[] request) {
    return Integer.parseInt(rawHead(request).get(0).split(" ")[1]);
  }

  /**
   * Sends raw bytes over a socket and returns the response's status line and header lines
   * exactly as they came over the wire (one char per byte, ISO-8859-1), for what java.net.http
   * would not show as sent (a header's exact bytes).
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
}
