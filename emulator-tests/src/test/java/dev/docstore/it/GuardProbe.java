package dev.docstore.it;

import dev.docstore.config.ConfigException;
import dev.docstore.functions.CreateDocument;

/**
 * Instantiates a function class the way the Functions Framework does at a cold instance's start
 * (which builds the composition root from the process environment) and reports: exit 0 if it
 * would serve, 3 if a guard refused.
 */
public final class GuardProbe {
  private GuardProbe() {}

  public static void main(String[] args) {
    try {
      new CreateDocument();
      System.out.println("started");
      System.exit(0);
    } catch (ConfigException e) {
      System.out.println("refused: " + e.getMessage());
      System.exit(3);
    }
  }
}
