package dev.docstore.documents;

import static dev.docstore.store.DocumentRow.DocumentState.LIVE;
import static dev.docstore.store.DocumentRow.DocumentState.TRASHED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.Timestamp;
import dev.docstore.api.InvalidRequest;
import dev.docstore.store.DocumentStore.ListPosition;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** One token format for every listing; a token opens only the listing it was issued for. */
class PageTokenTest {
  private static final String DOC = "0b0e8a4c-3b0a-4d3e-9a54-1f2a3b4c5d6e";
  private static final String OTHER_DOC = "1c1f9b5d-4c1b-4e4f-8b65-2a3b4c5d6e7f";
  private static final ListPosition POSITION =
      new ListPosition(Timestamp.parseTimestamp("2026-01-02T03:04:05.123456Z"), DOC);

  private static void refused(Executable parse) {
    InvalidRequest e = assertThrows(InvalidRequest.class, parse);
    assertTrue(e.getMessage().contains("pageToken"), e.getMessage());
  }

  private static String decoded(String token) {
    return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
  }

  private static String encoded(String text) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void eachKindRoundTripsAndNamesItselfFirst() {
    String documents = PageToken.documents("t-1", LIVE, POSITION);
    assertEquals(POSITION, PageToken.documentsAfter("t-1", LIVE, documents));
    assertTrue(decoded(documents).startsWith("documents.v1|"), decoded(documents));
    String versions = PageToken.versions("t-1", DOC, 100);
    assertEquals(100, PageToken.versionsAfter("t-1", DOC, versions));
    assertTrue(decoded(versions).startsWith("versions.v1|100|"), decoded(versions));
  }

  @Test
  void aTokenOpensOnlyItsOwnListing() {
    String documents = PageToken.documents("t-1", LIVE, POSITION);
    String versions = PageToken.versions("t-1", DOC, 100);
    refused(() -> PageToken.documentsAfter("t-2", LIVE, documents));
    refused(() -> PageToken.versionsAfter("t-2", DOC, versions));
    refused(() -> PageToken.versionsAfter("t-1", OTHER_DOC, versions));
    refused(() -> PageToken.versionsAfter("t-1", DOC, documents));
    refused(() -> PageToken.documentsAfter("t-1", LIVE, versions));
    refused(() -> PageToken.documentsAfter("t-1", TRASHED, documents));
  }

  @Test
  void anAlteredOrForgedTokenIsRefused() {
    String versions = PageToken.versions("t-1", DOC, 100);
    String digest = decoded(versions).substring(decoded(versions).lastIndexOf('|') + 1);
    for (String forged : List.of(
        encoded(decoded(versions).replace("|100|", "|10|")),
        encoded("versions.v2|100|" + digest),
        encoded("versions.v1|100"),
        encoded("versions.v1|100|" + digest + "|"),
        encoded("versions.v1|0|" + digest),
        encoded(""), "", "!!!", "dGhpcyBpcyBub3QgYSB0b2tlbg")) {
      refused(() -> PageToken.versionsAfter("t-1", DOC, forged));
    }
  }

  /** A field no listing issues (version 0 or below) is refused even under a valid digest. */
  @Test
  void aWellSignedTokenWithAnImpossibleFieldIsRefused() {
    refused(() -> PageToken.versionsAfter("t-1", DOC, PageToken.versions("t-1", DOC, 0)));
    refused(() -> PageToken.versionsAfter("t-1", DOC, PageToken.versions("t-1", DOC, -5)));
  }
}
