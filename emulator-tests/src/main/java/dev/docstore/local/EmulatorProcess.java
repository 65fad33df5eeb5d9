package dev.docstore.local;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An emulator binary started on a free port, under a watchdog so that it cannot outlive this JVM.
 *
 * <p>The JVM does not start the emulator itself but {@link #WATCHDOG}, a small bash script that
 * starts it with {@code setsid}, in a session and process group of its own (the Spanner gateway
 * spawns emulator_main, which outlives a gateway killed alone; the Pub/Sub script execs java),
 * and stops that whole group, TERM and then KILL, as soon as its stdin, a pipe from this JVM,
 * reaches end of file or this JVM's pid is gone. {@link #close()} closes the pipe; a JVM that
 * dies in any way, SIGKILL included, closes it too. Being in a session of its own, the
 * emulator does not get the terminal's Ctrl-C either: the owner stops its clients first.
 *
 * <p>There is no shutdown hook here: hooks run concurrently, and the owner must stop its clients
 * before the emulators (./run-local's hook and the test extension do, in that order). The
 * emulator's output goes to {@link ProjectFiles#newLog}, under the build's target/.
 */
final class EmulatorProcess implements AutoCloseable {
  /**
   * {@code bash -c WATCHDOG docstore-emulator-watchdog command...}: runs {@code command} in a
   * process group of its own until the emulator exits, stdin closes, or the parent is gone;
   * then stops the group. Terminal signals are ignored: the parent's pipe decides.
   */
  static final String WATCHDOG = """
      trap '' INT HUP QUIT
      parent=$PPID
      setsid "$@" </dev/null &
      emulator=$!
      stop() {
        kill -TERM -- "-$emulator" 2>/dev/null
        for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
          kill -0 -- "-$emulator" 2>/dev/null || return 0
          sleep 0.25
        done
        kill -KILL -- "-$emulator" 2>/dev/null
      }
      trap 'stop; exit 143' TERM
      while kill -0 "$emulator" 2>/dev/null; do
        read -r -t 0.5 _
        status=$?
        if [ "$status" -eq 0 ]; then continue; fi
        if [ "$status" -le 128 ]; then break; fi
        kill -0 "$parent" 2>/dev/null || break
      done
      stop
      wait "$emulator"
      """;

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
    Path log = ProjectFiles.newLog(name);
    Process process;
    try {
      List<String> watched = new ArrayList<>(List.of("bash", "-c", WATCHDOG,
          "docstore-emulator-watchdog"));
      watched.addAll(command);
      ProcessBuilder builder = new ProcessBuilder(watched)
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

  /**
   * Closes the watchdog's pipe, which stops the emulator's process group, and waits for it;
   * should the watchdog not finish, kills what is left of the tree itself.
   */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    List<ProcessHandle> tree = process.descendants().toList();
    try {
      process.getOutputStream().close();
    } catch (IOException alreadyClosed) {
      // the watchdog is stopping already
    }
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
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
