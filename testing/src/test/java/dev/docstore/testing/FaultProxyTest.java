package dev.docstore.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each fault of the proxy, against an echo server that answers every chunk at once. */
class FaultProxyTest {
  private ServerSocket echo;
  private FaultProxy proxy;

  @BeforeEach
  void start() throws IOException {
    echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread accept = new Thread(() -> {
      while (!echo.isClosed()) {
        try {
          Socket s = echo.accept();
          Thread t = new Thread(() -> {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
              in.transferTo(out);
            } catch (IOException e) {
              // the test reset it
            }
          });
          t.setDaemon(true);
          t.start();
        } catch (IOException e) {
          return;
        }
      }
    });
    accept.setDaemon(true);
    accept.start();
    proxy = FaultProxy.start("127.0.0.1:" + echo.getLocalPort());
  }

  @AfterEach
  void stop() throws IOException {
    proxy.close();
    echo.close();
  }

  private Socket connect() throws IOException {
    String[] hostPort = proxy.address().split(":");
    Socket s = new Socket(hostPort[0], Integer.parseInt(hostPort[1]));
    s.setSoTimeout(700);
    return s;
  }

  private static byte[] roundTrip(Socket s, String text) throws IOException {
    byte[] sent = text.getBytes(StandardCharsets.UTF_8);
    s.getOutputStream().write(sent);
    s.getOutputStream().flush();
    byte[] got = new byte[sent.length];
    int n = 0;
    while (n < got.length) {
      int r = s.getInputStream().read(got, n, got.length - n);
      if (r < 0) {
        throw new IOException("closed after " + n + " bytes");
      }
      n += r;
    }
    return got;
  }

  @Test
  void withoutAFaultBytesFlowBothWays() throws IOException {
    try (Socket s = connect()) {
      assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), roundTrip(s, "hello"));
    }
    assertEquals(1, proxy.acceptedConnections());
  }

  @Test
  void latencyDelaysEachChunk() throws IOException {
    proxy.latency(Duration.ofMillis(150));
    try (Socket s = connect()) {
      long start = System.nanoTime();
      roundTrip(s, "slow");
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(millis >= 290, "both directions wait: " + millis + " ms");
    }
  }

  @Test
  void resetBreaksOpenConnectionsAndRefusesNewOnes() throws Exception {
    try (Socket open = connect()) {
      roundTrip(open, "before");
      proxy.reset();
      assertThrows(IOException.class, () -> {
        roundTrip(open, "after");
        roundTrip(open, "after again");
      });
    }
    try (Socket fresh = connect()) {
      assertThrows(IOException.class, () -> roundTrip(fresh, "refused"));
    }
    assertTrue(proxy.resetConnections() >= 2, "counted: " + proxy.resetConnections());
    proxy.heal();
    try (Socket healed = connect()) {
      assertArrayEquals("back".getBytes(StandardCharsets.UTF_8), roundTrip(healed, "back"));
    }
  }

  @Test
  void aBlackHoleAcceptsButNeverAnswers() throws IOException {
    proxy.blackHole();
    try (Socket s = connect()) {
      assertThrows(SocketTimeoutException.class, () -> roundTrip(s, "anyone?"));
    }
    proxy.heal();
    try (Socket s = connect()) {
      assertArrayEquals("yes".getBytes(StandardCharsets.UTF_8), roundTrip(s, "yes"));
    }
  }

  @Test
  void aStallForwardsTheRequestButStopsTheAnswerMidway() throws IOException {
    proxy.stall();
    try (Socket s = connect()) {
      byte[] sent = new byte[1000];
      Arrays.fill(sent, (byte) 'x');
      s.getOutputStream().write(sent);
      s.getOutputStream().flush();
      byte[] got = new byte[1000];
      int n = 0;
      try {
        while (n < got.length) {
          int r = s.getInputStream().read(got, n, got.length - n);
          if (r < 0) {
            break;
          }
          n += r;
        }
      } catch (SocketTimeoutException e) {
        // expected: the answer stopped
      }
      assertTrue(n > 0 && n < 1000, "part of the answer arrived, then nothing: " + n);
    }
  }
}
