package dev.docstore.auth;

import java.util.regex.Pattern;

/**
 * Tenant and user ids come from credentials and end up in Spanner keys, Cloud Storage object names
 * ({@code {tenant}/{document}/{sha256}}) and every log line. The outer rule is a non-empty string
 * of at most 128 visible ASCII characters without {@code /}; within it only {@code
 * [A-Za-z0-9._:-]} is accepted, and not {@code .} or {@code ..}: no {@code @}, so an email can
 * never pass as an id and reach a log; no {@code /} or dot segment, so an object prefix names
 * exactly one tenant; nothing that object names, URLs or wildcards treat specially ({@code %},
 * {@code ?}, {@code #}, {@code *}, {@code [}, {@code \}, quotes). Anything else is an invalid
 * credential, refused rather than altered.
 */
final class Identifiers {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private Identifiers() {}

  static boolean valid(String id) {
    return id != null && ID.matcher(id).matches() && !id.equals(".") && !id.equals("..");
  }
}
