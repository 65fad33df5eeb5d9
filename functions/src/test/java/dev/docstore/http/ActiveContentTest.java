package dev.docstore.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which stored types are served as an attachment, so no browser runs them as our page. */
class ActiveContentTest {
  @ParameterizedTest(name = "{0} is an attachment")
  @ValueSource(strings = {"text/html", "text/html; charset=utf-8", "TEXT/HTML",
      "Text/Html;charset=\"utf-8\"", "application/xhtml+xml", "image/svg+xml",
      "image/SVG+XML; charset=utf-8", "text/xml", "application/xml", "application/atom+xml",
      "application/rss+xml", "application/vnd.custom+xml;a=b", "text/xsl", "text/javascript",
      "application/javascript", "application/ecmascript", "text/ecmascript",
      "application/x-javascript", "text/x-javascript", "text/jscript", "text/livescript",
      "text/javascript1.5", "text/javascript ; charset=utf-8", "nonsense", "/", "text/"})
  void activeTypesAreAnAttachment(String contentType) {
    assertEquals("attachment", ActiveContent.disposition(contentType));
  }

  @ParameterizedTest(name = "{0} is inline")
  @ValueSource(strings = {"text/plain", "text/plain; charset=utf-8", "text/markdown",
      "application/json", "application/vnd.api+json", "image/png", "image/jpeg",
      "application/pdf", "application/octet-stream", "video/mp4", "text/css", "text/csv",
      "application/xml-patch+json", "text/plain; note=\"text/html\"", "text/htmlx",
      "application/x-www-form-urlencoded"})
  void everythingElseIsInline(String contentType) {
    assertEquals("inline", ActiveContent.disposition(contentType));
  }
}
