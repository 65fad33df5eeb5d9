package dev.docstore.input;

import java.util.regex.Pattern;

/**
 * The one shape of an id that comes from outside (tenant and user ids from credentials, the ids
 * of an analytics event) and ends up in Spanner keys, Cloud Storage object names
 * ({@code {tenant}/{document}/{sha256}}) and every log line. The outer rule is a non-empty string
 * of at most 128 visible ASCII characters without {@code /}; within it only {@code
 * [A-Za-z0-9._:-]} is accepted, and not {@code .} or {@code ..}: no {@code @}, so an email can
 * never pass as an id and reach a log; no {@code /} or dot segment, so an object prefix names
 * exactly one tenant; nothing that object names, URLs or wildcards treat specially ({@code %},
 * {@code ?}, {@code #}, {@code *}, {@code [}, {@code \}, quotes). Anything else is refused rather
 * than altered.
 */
public final class Identifiers {
  public static final int MAX_LENGTH = 128;
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1," + MAX_LENGTH + "}");

  private Identifiers() {}

  public static boolean valid(String id) {
    return id != null && ID.matcher(id).matches() && !id.equals(".") && !id.equals("..");
  }
}
