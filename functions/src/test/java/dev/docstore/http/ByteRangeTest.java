package dev.docstore.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.docstore.api.RangeNotSatisfiable;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one byte range of a Range header, against content of 100 bytes unless said otherwise. */
class ByteRangeTest {
  private static Optional<ByteRange> of(String header, long length) {
    return ByteRange.requested(List.of(header), length);
  }

  @ParameterizedTest(name = "{0} is {1}-{2}")
  @CsvSource(delimiter = '|', value = {
      "bytes=0-0 | 0 | 0",
      "bytes=10-19 | 10 | 19",
      "bytes=-5 | 95 | 99",
      "bytes=90- | 90 | 99",
      "bytes=0- | 0 | 99",
      "bytes=95-1000 | 95 | 99",
      "bytes=-1000 | 0 | 99",
      "bytes=99-99 | 99 | 99",
      "BYTES=1-2 | 1 | 2",
      "bytes= 1-2 | 1 | 2",
      "'bytes=1-2, ' | 1 | 2",
      "'bytes=,1-2' | 1 | 2",
      "bytes=0001-0002 | 1 | 2",
      "bytes=5-99999999999999999999999 | 5 | 99"})
  void oneValidRangeIsServedCutAtTheEnd(String header, long first, long last) {
    ByteRange range = of(header, 100).orElseThrow();
    assertEquals(new ByteRange(first, last), range);
    assertEquals(last - first + 1, range.length());
    assertEquals("bytes " + first + "-" + last + "/100", range.contentRange(100));
  }

  @ParameterizedTest(name = "[{0}] is served whole")
  @ValueSource(strings = {"bytes=0-1,5-6", "bytes=0-1, 0-1", "bytes=5-2", "bytes=x", "bytes=",
      "bytes=-", "bytes=1", "bytes=1-2-3", "bytes=+1-2", "bytes=-1-2", "bytes 0-1",
      "bytes=1 - 2", "items=0-1", "0-1", "", "bytes=٣-٤"})
  void anythingButOneValidByteRangeIsIgnored(String header) {
    assertEquals(Optional.empty(), of(header, 100));
  }

  @Test
  void noHeaderOrTheHeaderSentTwiceIsServedWhole() {
    assertEquals(Optional.empty(), ByteRange.requested(List.of(), 100));
    assertEquals(Optional.empty(), ByteRange.requested(List.of("bytes=0-1", "bytes=0-1"), 100));
  }

  @ParameterizedTest(name = "{0} of {1} bytes is unsatisfiable")
  @CsvSource({"bytes=100-, 100", "bytes=100-200, 100", "bytes=1000-1000, 100", "bytes=-0, 100",
      "bytes=0-0, 0", "bytes=0-, 0", "bytes=-5, 0", "bytes=99999999999999999999-, 100"})
  void aRangeWithNoByteOfTheContentIsUnsatisfiable(String header, long length) {
    RangeNotSatisfiable e = assertThrows(RangeNotSatisfiable.class, () -> of(header, length));
    assertEquals(length, e.length());
    assertEquals("bytes */" + length, ByteRange.unsatisfied(e.length()));
  }
}
