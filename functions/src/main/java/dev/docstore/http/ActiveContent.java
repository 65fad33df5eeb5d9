package dev.docstore.http;

import java.util.Locale;
import java.util.Set;

/**
 * Which stored media types a browser would run, as a page or a script, if it opened them at the
 * API's own origin: HTML, XHTML, SVG and every other XML (which may carry XHTML or XSLT), and
 * JavaScript under any of the names browsers accept for it. Those are served as an attachment;
 * everything else inline. Only the media type counts, without its parameters and whatever its
 * case.
 */
final class ActiveContent {
  static final String ATTACHMENT = "attachment";
  static final String INLINE = "inline";

  private static final Set<String> ACTIVE = Set.of(
      "text/html", "application/xhtml+xml", "image/svg+xml", "text/xml", "application/xml",
      "text/xsl", "text/xml-external-parsed-entity", "application/xml-external-parsed-entity",
      "application/xml-dtd",
      // WHATWG MIME Sniffing, "JavaScript MIME type": every essence a browser runs as script.
      "text/javascript", "application/javascript", "application/ecmascript",
      "text/ecmascript", "application/x-javascript", "application/x-ecmascript",
      "text/x-javascript", "text/x-ecmascript", "text/jscript", "text/livescript",
      "text/javascript1.0", "text/javascript1.1", "text/javascript1.2", "text/javascript1.3",
      "text/javascript1.4", "text/javascript1.5");

  private ActiveContent() {}

  /** Whether a browser could run content of this type as the API's own page or script. */
  static boolean isActive(String contentType) {
    String essence = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    int slash = essence.indexOf('/');
    if (slash <= 0 || slash == essence.length() - 1) {
      return true; // not a media type at all: treat it as the riskiest kind
    }
    return ACTIVE.contains(essence) || essence.endsWith("+xml");
  }

  /** The {@code Content-Disposition} to serve content of this type with. */
  static String disposition(String contentType) {
    return isActive(contentType) ? ATTACHMENT : INLINE;
  }
}
