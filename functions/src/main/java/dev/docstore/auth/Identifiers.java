package dev.docstore.auth;

import java.util.regex.Pattern;

/**
 * Tenant and user ids end up in object names and log lines, so only a conservative alphabet (no
 * "@", so an email can never pass as an id and reach a log) is
 * accepted from credentials; anything else is treated as an invalid credential.
 */
final class Identifiers {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private Identifiers() {}

  static boolean valid(String id) {
    return id != null && ID.matcher(id).matches() && !id.equals(".") && !id.equals("..");
  }
}
