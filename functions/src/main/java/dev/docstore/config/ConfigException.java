package dev.docstore.config;

/** A configuration the process must not start with. The message names the variable. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
