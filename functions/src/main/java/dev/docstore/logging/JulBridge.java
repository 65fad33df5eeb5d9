package dev.docstore.logging;

import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Routes {@code java.util.logging}, which the Google client libraries and the Functions Framework
 * log to, into SLF4J, so that their lines are JSON lines like ours (stack traces included) instead
 * of JUL's two-line console format on stderr. Installed once per process, before the first client
 * is built; logback's {@code LevelChangePropagator} gives the JUL loggers the levels of
 * logback.xml, so a record below its level costs JUL one level check.
 */
public final class JulBridge {
  private JulBridge() {}

  /** Replaces JUL's root handlers (the console, or the framework's own) by the bridge; once. */
  public static synchronized void install() {
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
      // Starts logback now, so that its LevelChangePropagator has set the JUL loggers' levels
      // before the first client logs.
      LoggerFactory.getILoggerFactory();
    }
  }
}
