package dev.docstore.local;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An emulator binary started on a free port. Stopping it stops its whole process tree: the
 * Spanner gateway spawns emulator_main, which outlives a gateway killed alone. There is no
 * shutdown hook here: hooks run concurrently, and the owner must stop its clients before the
 * emulators (./run-local's hook and the test extension do, in that order).
 */
final class EmulatorProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final String host;
  private final Path log;

  private EmulatorProcess(String name, Process process, String host, Path log) {
    this.name = name;
    this.process = process;
    this.host = host;
    this.log = log;
  }

  static EmulatorProcess start(String name, List<String> command, int port, Duration timeout) {
    Path log;
    try {
      log = Files.createTempFile("docstore-" + name + "-", ".log");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Process process;
    try {
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(log.toFile());
      builder.environment().remove("SPANNER_EMULATOR_HOST");
      builder.environment().remove("PUBSUB_EMULATOR_HOST");
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the " + name + " emulator: " + command, e);
    }
    EmulatorProcess started = new EmulatorProcess(name, process, "127.0.0.1:" + port, log);
    started.awaitPort(port, timeout);
    return started;
  }

  String host() {
    return host;
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port", e);
    }
  }

  static boolean executable(Path path) {
    File file = path.toFile();
    return file.isFile() && file.canExecute();
  }

  private void awaitPort(int port, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the " + name + " emulator exited with " + process.exitValue() + "; see " + log);
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        sleep(50);
      }
    }
    close();
    throw new IllegalStateException("the " + name + " emulator did not listen on port " + port
        + " within " + timeout.toSeconds() + " s; see " + log);
  }

  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    List<ProcessHandle> tree = process.descendants().toList();
    tree.forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (ProcessHandle child : tree) {
      try {
        child.onExit().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        child.destroyForcibly();
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
