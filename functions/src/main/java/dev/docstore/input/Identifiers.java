package dev.docstore.input;

import java.util.regex.Pattern;

/**
 * The one shape of an id that comes from outside and ends up in keys, object names and log lines
 * (tenant and user ids from credentials, the ids of an analytics event): 1 to 128 characters of
 * a conservative alphabet, with no "@", so an email can never pass as an id and reach a log.
 */
public final class Identifiers {
  public static final int MAX_LENGTH = 128;
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_LENGTH + "}");

  private Identifiers() {}

  public static boolean valid(String id) {
    return id != null && ID.matcher(id).matches() && !id.equals(".") && !id.equals("..");
  }
}
