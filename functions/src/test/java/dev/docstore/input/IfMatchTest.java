package dev.docstore.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.docstore.api.InvalidRequest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IfMatchTest {
  private static IfMatch parse(String... lines) {
    return IfMatch.parse(List.of(lines)).orElseThrow();
  }

  @Test
  void absentHeaderIsNoPrecondition() {
    assertTrue(IfMatch.parse(null).isEmpty());
    assertTrue(IfMatch.parse(List.of()).isEmpty());
  }

  @Test
  void starMatchesAnyCurrentEtag() {
    assertTrue(parse("*").matches("\"abc\""));
    assertTrue(parse(" * ").matches("\"x\""));
  }

  @Test
  void aListMatchesAnyOfItsStrongTags() {
    IfMatch m = parse("\"a\", \"b\"");
    assertTrue(m.matches("\"a\""));
    assertTrue(m.matches("\"b\""));
    assertFalse(m.matches("\"c\""));
    assertTrue(parse("\"a\"", "\"b\"").matches("\"b\""), "several header lines form one list");
  }

  @Test
  void comparisonIsStrongSoAWeakTagNeverMatches() {
    assertFalse(parse("W/\"a\"").matches("\"a\""));
  }

  @Test
  void theCanonicalFormIgnoresWhiteSpaceButNotTheTags() {
    assertEquals(parse("\"a\",\"b\"").canonical(), parse(" \"a\" ,  \"b\"").canonical());
    assertEquals(parse("\"a\", \"b\"").canonical(), parse("\"b\", \"a\"").canonical(),
        "a list is a set");
    assertFalse(parse("\"a\"").canonical().equals(parse("\"b\"").canonical()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "abc", "\"a", "a\"", "\"a\"b\"", "\"a\" \"b\"", "*, \"a\"",
      "\"a b\"", ",", "W/abc"})
  void anythingElseIsA400(String value) {
    assertThrows(InvalidRequest.class, () -> IfMatch.parse(List.of(value)));
  }
}
