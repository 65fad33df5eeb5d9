package dev.docstore.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.docstore.testing.HttpFaultProxy.Fault;
import dev.docstore.testing.HttpFaultProxy.Plan;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each fault of the HTTP proxy, against a server that counts what reached it. */
class HttpFaultProxyTest {
  private final AtomicInteger received = new AtomicInteger();
  private final HttpClient client = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).build();
  private HttpServer upstream;
  private HttpFaultProxy proxy;

  @BeforeEach
  void start() throws IOException {
    upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    upstream.createContext("/echo", exchange -> {
      received.incrementAndGet();
      byte[] body = exchange.getRequestBody().readAllBytes();
      String answer = exchange.getRequestMethod() + " " + exchange.getRequestURI() + " "
          + exchange.getRequestHeaders().getFirst("X-Tenant-Id") + " "
          + new String(body, StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("X-Request-Id", "r1");
      exchange.getResponseHeaders().add("Set-Twice", "a");
      exchange.getResponseHeaders().add("Set-Twice", "b");
      byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(201, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    upstream.start();
  }

  @AfterEach
  void stop() {
    if (proxy != null) {
      proxy.close();
    }
    upstream.stop(0);
  }

  private HttpResponse<String> post(String body) throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(URI.create(proxy.baseUrl() + "/echo?x=1"))
        .header("X-Tenant-Id", "acme")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void startProxy(double reset, double drop, double delay) {
    proxy = HttpFaultProxy.start("http://127.0.0.1:" + upstream.getAddress().getPort(),
        new Plan(reset, drop, delay, Duration.ofMillis(50), 7));
  }

  @Test
  void forwardsTheRequestAndTheAnswerAsTheyAre() throws Exception {
    startProxy(0, 0, 0);
    HttpResponse<String> answer = post("{\"a\":1}");
    assertEquals(201, answer.statusCode());
    assertEquals("POST /echo?x=1 acme {\"a\":1}", answer.body());
    assertEquals("r1", answer.headers().firstValue("X-Request-Id").orElseThrow());
    assertEquals(java.util.List.of("a", "b"), answer.headers().allValues("Set-Twice"));
    assertEquals(1, received.get());
    assertEquals(1, proxy.count(Fault.FORWARD));
  }

  @Test
  void aDroppedAnswerWasProcessedButNeverArrives() {
    startProxy(0, 1, 0);
    assertThrows(IOException.class, () -> post("x"));
    assertEquals(1, received.get(), "the server processed the request");
    assertEquals(1, proxy.count(Fault.DROP_ANSWER));
    assertEquals(1, proxy.forwarded());
  }

  @Test
  void aResetBeforeForwardingNeverReachesTheServer() {
    startProxy(1, 0, 0);
    assertThrows(IOException.class, () -> post("x"));
    assertEquals(0, received.get());
    assertEquals(1, proxy.count(Fault.RESET_BEFORE_FORWARDING));
    assertEquals(0, proxy.forwarded());
  }

  @Test
  void aDelayedAnswerArrivesWhole() throws Exception {
    startProxy(0, 0, 1);
    assertEquals("POST /echo?x=1 acme late", post("late").body());
    assertEquals(1, proxy.count(Fault.DELAY));
  }

  @Test
  void theSharesAreDrawnFromTheSeed() throws Exception {
    startProxy(0.2, 0.3, 0.1);
    int answered = 0;
    for (int i = 0; i < 60; i++) {
      try {
        post("n" + i);
        answered++;
      } catch (IOException e) {
        // a reset or a dropped answer
      }
    }
    long reset = proxy.count(Fault.RESET_BEFORE_FORWARDING);
    long dropped = proxy.count(Fault.DROP_ANSWER);
    assertEquals(60, reset + dropped + answered);
    assertEquals(received.get(), proxy.forwarded());
    assertTrue(reset > 3 && dropped > 6 && proxy.count(Fault.DELAY) > 0,
        "reset " + reset + ", dropped " + dropped);
    assertThrows(IllegalArgumentException.class,
        () -> new Plan(0.5, 0.5, 0.1, Duration.ZERO, 1));
  }
}
