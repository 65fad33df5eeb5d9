package dev.docstore.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy between a client (the functions) and a server (an emulator) whose faults a test
 * switches on and off while traffic flows, so the code meets failures it did not choose:
 *
 * <ul>
 *   <li>{@link Fault#LATENCY}: every chunk, both ways, waits before it is forwarded;
 *   <li>{@link Fault#RESET}: every open connection is reset (RST, not FIN), and every new one is
 *       reset as soon as it is accepted;
 *   <li>{@link Fault#BLACK_HOLE}: connections are accepted and bytes read, but nothing is
 *       forwarded either way and nothing is answered;
 *   <li>{@link Fault#STALL}: requests still reach the server, but answers stop after the first
 *       bytes of a response, the connection left open: a half-open stall mid-response.
 * </ul>
 *
 * <p>Faults apply to every connection, open or new, from the moment they are set; {@link #heal}
 * lets traffic through again. A gRPC client reconnects after a reset on its own; after a black
 * hole or a stall only its deadline gets it out, which is what these faults test.
 */
public final class FaultProxy implements AutoCloseable {
  public enum Fault {
    NONE,
    LATENCY,
    RESET,
    BLACK_HOLE,
    STALL
  }

  /** Bytes of a response forwarded under {@link Fault#STALL} before it stops. */
  private static final int STALL_AFTER_BYTES = 16;
  private static final int BUFFER = 16 * 1024;

  private final String upstreamHost;
  private final int upstreamPort;
  private final ServerSocket server;
  private final ExecutorService threads;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong reset = new AtomicLong();
  private volatile Fault fault = Fault.NONE;
  private volatile Duration latency = Duration.ZERO;
  private volatile boolean closed;

  private FaultProxy(String upstreamHost, int upstreamPort) throws IOException {
    this.upstreamHost = upstreamHost;
    this.upstreamPort = upstreamPort;
    this.server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
    AtomicInteger n = new AtomicInteger();
    this.threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fault-proxy-" + server.getLocalPort() + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    threads.execute(this::acceptLoop);
  }

  /** A proxy on a free loopback port in front of {@code host:port}. */
  public static FaultProxy start(String hostAndPort) {
    int colon = hostAndPort.lastIndexOf(':');
    try {
      return new FaultProxy(hostAndPort.substring(0, colon),
          Integer.parseInt(hostAndPort.substring(colon + 1)));
    } catch (IOException e) {
      throw new IllegalStateException("cannot open a proxy port", e);
    }
  }

  /** {@code host:port} to give the client in place of the server's. */
  public String address() {
    return "localhost:" + server.getLocalPort();
  }

  public Fault fault() {
    return fault;
  }

  /** Adds {@code delay} before every chunk is forwarded, both ways. */
  public void latency(Duration delay) {
    latency = delay;
    fault = Fault.LATENCY;
  }

  /** Resets every open connection now (counted in each direction), and every new one. */
  public void reset() {
    fault = Fault.RESET;
    open.forEach(socket -> {
      reset.incrementAndGet();
      abort(socket);
    });
  }

  public void blackHole() {
    fault = Fault.BLACK_HOLE;
  }

  public void stall() {
    fault = Fault.STALL;
  }

  /** Switches to {@code next}, with {@code delay} for {@link Fault#LATENCY}. */
  public void set(Fault next, Duration delay) {
    switch (next) {
      case NONE -> heal();
      case LATENCY -> latency(delay);
      case RESET -> reset();
      case BLACK_HOLE -> blackHole();
      case STALL -> stall();
    }
  }

  /**
   * Lets traffic through again. Connections a black hole or a stall held are reset, as a
   * network path that recovers drops what it stranded, so their clients reconnect.
   */
  public void heal() {
    Fault was = fault;
    fault = Fault.NONE;
    if (was == Fault.BLACK_HOLE || was == Fault.STALL) {
      open.forEach(FaultProxy::abort);
    }
  }

  public long acceptedConnections() {
    return accepted.get();
  }

  public long resetConnections() {
    return reset.get();
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    open.forEach(FaultProxy::abort);
    threads.shutdownNow();
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return; // closed
      }
      accepted.incrementAndGet();
      if (fault == Fault.RESET) {
        reset.incrementAndGet();
        abort(client);
        continue;
      }
      threads.execute(() -> connect(client));
    }
  }

  private void connect(Socket client) {
    Socket upstream = new Socket();
    open.add(client);
    open.add(upstream);
    try {
      client.setTcpNoDelay(true);
      upstream.setTcpNoDelay(true);
      upstream.connect(new InetSocketAddress(upstreamHost, upstreamPort), 5_000);
    } catch (IOException e) {
      abort(client);
      abort(upstream);
      return;
    }
    threads.execute(() -> pump(client, upstream, false));
    pump(upstream, client, true);
    // The answers ended: the connection is over, whichever side ended it.
    open.remove(client);
    open.remove(upstream);
    abort(client);
    abort(upstream);
  }

  /** Copies {@code from} to {@code to} under the fault of the moment, until either closes. */
  private void pump(Socket from, Socket to, boolean response) {
    byte[] buffer = new byte[BUFFER];
    long forwardedInStall = 0;
    try (InputStream in = from.getInputStream()) {
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        Fault now = fault;
        if (now == Fault.BLACK_HOLE) {
          continue; // read and dropped: the other side waits for an answer that never comes
        }
        if (now == Fault.STALL && response) {
          if (forwardedInStall >= STALL_AFTER_BYTES) {
            // Stop reading: the server's writes back up in TCP, the client waits mid-response.
            while (fault == Fault.STALL && !closed) {
              Thread.sleep(20);
            }
            continue;
          }
          int part = (int) Math.min(n, STALL_AFTER_BYTES - forwardedInStall);
          out.write(buffer, 0, part);
          out.flush();
          forwardedInStall += part;
          continue;
        }
        forwardedInStall = 0;
        if (now == Fault.LATENCY) {
          Thread.sleep(latency.toMillis());
        }
        out.write(buffer, 0, n);
        out.flush();
      }
      to.shutdownOutput();
    } catch (IOException | InterruptedException e) {
      abort(to);
      abort(from);
    }
  }

  /** Closes with SO_LINGER 0, so the peer sees a reset, not an orderly end. */
  static void abort(Socket socket) {
    try {
      if (!socket.isClosed()) {
        socket.setSoLinger(true, 0);
        socket.close();
      }
    } catch (IOException e) {
      // already gone
    }
  }

}
