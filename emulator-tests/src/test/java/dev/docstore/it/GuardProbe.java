package dev.docstore.it;

import dev.docstore.app.Docstore;
import dev.docstore.config.ConfigException;

/**
 * Starts the functions' composition root the way a cold function instance does (from the
 * process environment) and reports: exit 0 if it would serve, 3 if a guard refused.
 */
public final class GuardProbe {
  private GuardProbe() {}

  public static void main(String[] args) {
    try {
      Docstore.shared();
      System.out.println("started");
      System.exit(0);
    } catch (ConfigException e) {
      System.out.println("refused: " + e.getMessage());
      System.exit(3);
    }
  }
}
