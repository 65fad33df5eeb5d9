package dev.docstore.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** If-None-Match by the weak comparison, If-Range by the strong one (RFC 9110 §8.8.3.2). */
class EntityTagsTest {
  private static final String CURRENT = EntityTags.strong("abc");

  @Test
  void aStrongTagIsTheValidatorInQuotes() {
    assertEquals("\"abc\"", CURRENT);
  }

  @ParameterizedTest(name = "[{0}] names it")
  @ValueSource(strings = {"\"abc\"", "W/\"abc\"", "*", " * ", "\"x\", \"abc\"", "\"x\",\"abc\"",
      "\"x\" ,W/\"abc\"", ", \"abc\",", "\t\"abc\"\t", "\"a,b\", \"abc\""})
  void ifNoneMatchNamesTheCurrentTagByTheWeakComparison(String header) {
    assertTrue(EntityTags.noneMatchNames(List.of(header), CURRENT));
  }

  @ParameterizedTest(name = "[{0}] does not name it")
  @ValueSource(strings = {"\"abd\"", "\"ABC\"", "abc", "\"abc", "w/\"abc\"", "W/ \"abc\"",
      "\"abc\" \"x\"", "\"x\", abc", "*, \"abc\"", "**", "", "\"ab\"c\"", "\"abc\"x"})
  void ifNoneMatchOfAnotherTagOrMalformedNamesNothing(String header) {
    assertFalse(EntityTags.noneMatchNames(List.of(header), CURRENT));
  }

  @Test
  void ifNoneMatchFieldLinesFormOneList() {
    assertTrue(EntityTags.noneMatchNames(List.of("\"x\"", "\"abc\""), CURRENT));
    assertFalse(EntityTags.noneMatchNames(List.of("\"x\"", "\"y\""), CURRENT));
    assertFalse(EntityTags.noneMatchNames(List.of(), CURRENT));
  }

  @Test
  void ifRangeHoldsOnlyForTheSameStrongTag() {
    assertTrue(EntityTags.ifRangeHolds(List.of("\"abc\""), CURRENT));
    assertTrue(EntityTags.ifRangeHolds(List.of(" \"abc\" "), CURRENT));
    assertFalse(EntityTags.ifRangeHolds(List.of("W/\"abc\""), CURRENT), "weak never matches");
    assertFalse(EntityTags.ifRangeHolds(List.of("\"abd\""), CURRENT));
    assertFalse(EntityTags.ifRangeHolds(List.of("\"abc\", \"abc\""), CURRENT), "one tag only");
    assertFalse(EntityTags.ifRangeHolds(List.of("Tue, 01 Dec 2026 07:00:00 GMT"), CURRENT),
        "no Last-Modified, so a date never holds");
    assertFalse(EntityTags.ifRangeHolds(List.of("\"abc\"", "\"abc\""), CURRENT));
    assertFalse(EntityTags.ifRangeHolds(List.of(), CURRENT));
  }
}
