package dev.docstore.it;

import dev.docstore.local.Emulators;
import java.util.HashMap;
import java.util.Map;

/**
 * Starts the emulators from the gcloud SDK the way the harness does, prints {@code ready} and
 * waits to be killed: {@link HarnessTest} kills it with SIGKILL and looks for survivors.
 */
public final class EmulatorsProbe {
  private EmulatorsProbe() {}

  public static void main(String[] args) throws InterruptedException {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.remove("SPANNER_EMULATOR_HOST");
    env.remove("PUBSUB_EMULATOR_HOST");
    Emulators emulators = Emulators.start(env);
    System.out.println("ready " + emulators.spannerHost() + " " + emulators.pubsubHost());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
