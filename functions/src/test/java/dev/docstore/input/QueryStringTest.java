package dev.docstore.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.docstore.api.InvalidRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The query string alone, decoded strictly. */
class QueryStringTest {
  @Test
  void namesKeepTheirValuesInOrder() {
    assertEquals(Map.of("a", List.of("1", "3"), "b", List.of("x y"), "c", List.of(""),
            "é", List.of("/€"), "", List.of("v")),
        QueryString.parse("a=1&b=x+y&&c&a=3&%C3%A9=%2F%E2%82%AC&=v&"));
    assertEquals(Map.of(), QueryString.parse(""));
    assertEquals(Map.of("t", List.of("a=b")), QueryString.parse("t=a=b"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"a=%", "a=%4", "a=%zz", "%C0%AF=1", "a=%ED%A0%80", "a=%F4%90%80%80",
      "a=%E2%82", "a=%80"})
  void brokenEscapesAndBytesThatAreNotUtf8AreRefused(String raw) {
    assertThrows(InvalidRequest.class, () -> QueryString.parse(raw), raw);
  }
}
