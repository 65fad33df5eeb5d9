package dev.docstore.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.docstore.testing.IllFormedText;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Strict text, property-style: bytes that are not UTF-8 (overlong forms, encoded surrogates, code
 * points past U+10FFFF, truncated sequences, stray continuation bytes) and escapes of lone
 * surrogates, in every string field of every write and in a member name, at the start, middle
 * or end. Each answers 400 {@code invalid_request}, and nothing is stored: no row, no object, no
 * idempotency record, no event. The cases come from {@link IllFormedText} with a fixed seed, so
 * a failure repeats. Each write starts from its {@link WriteScenario} (a tenant prepared so that
 * the base request applies) and the base request is shown to succeed unchanged at the end, so a
 * case is refused for its text alone.
 */
class StrictInputTest {
  @RegisterExtension
  static final Stack STACK = new Stack();
  private static final long SEED = 20261201L;
  private static final int CASES_PER_FIELD = 24;
  private static final String TENANT = "strict-text";
  private static final String MEMBER_NAME = "(member name)";

  @Test
  void illFormedTextInEveryStringFieldOfEveryWriteIs400AndStoresNothing() {
    IllFormedText text = new IllFormedText(SEED);
    List<String> failures = new ArrayList<>();
    int sent = 0;
    for (WriteScenario s : WriteScenario.values()) {
      String tenant = TENANT + "-" + s.ordinal();
      WriteScenario.Prepared p = s.prepare(STACK.api(), tenant);
      Map<String, Object> fields = new TreeMap<>(s.body(p, 0));
      if (fields.containsKey("content")) {
        fields.put("contentType", "text/markdown");
      }
      String census = STACK.rows().census(tenant);
      long objects = CreateDocumentTest.objects(tenant);
      STACK.events().drain(200);

      List<String> targets = new ArrayList<>();
      fields.forEach((name, value) -> {
        if (value instanceof String) {
          targets.add(name);
        }
      });
      targets.add(MEMBER_NAME);
      for (String target : targets) {
        for (int i = 0; i < CASES_PER_FIELD; i++) {
          IllFormedText.Case c = text.next(target.equals(MEMBER_NAME)
              ? fields.keySet().iterator().next() : (String) fields.get(target));
          Api.Request request = STACK.api().post(s.operation).tenant(tenant)
              .body("application/json", body(fields, target, c.bytes()));
          if (i % 2 == 0) {
            request.key("strict-" + sent);
          }
          Api.Response response = request.send();
          sent++;
          if (response.status() != 400 || !"invalid_request".equals(response.code())) {
            failures.add(s.function + "." + target + " " + c + " -> " + response);
          } else {
            BadInputTest.assertProblem(response, 400, "invalid_request");
          }
        }
      }
      expect(failures, census, STACK.rows().census(tenant), s.function + ": rows");
      expect(failures, objects, CreateDocumentTest.objects(tenant), s.function + ": objects");
      expect(failures, 0, STACK.events().drain(300).size(), s.function + ": events");
      // The base request, unchanged, succeeds: the cases were refused for their text alone.
      Api.Response base = STACK.api().post(s.operation).tenant(tenant)
          .body("application/json", body(fields, null, null)).send();
      expect(failures, s.successStatus(), base.status(), s.function + ": the base request");
    }
    assertTrue(failures.isEmpty(), failures.size() + " failures in " + sent
        + " ill-formed requests (seed " + SEED + "):\n  " + String.join("\n  ", failures));
  }

  private static void expect(List<String> failures, Object expected, Object actual,
      String what) {
    if (!expected.equals(actual)) {
      failures.add(what + " changed: " + expected + " -> " + actual);
    }
  }

  /**
   * The JSON body of {@code fields}, with the value of {@code target} (or the first member's
   * name, for {@link #MEMBER_NAME}) replaced by {@code raw}, the bytes between its quotes.
   */
  private static byte[] body(Map<String, Object> fields, String target, byte[] raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("{".getBytes(StandardCharsets.US_ASCII));
    boolean first = true;
    for (Map.Entry<String, Object> field : fields.entrySet()) {
      if (!first) {
        out.write(',');
      }
      out.write('"');
      out.writeBytes(first && MEMBER_NAME.equals(target) ? raw
          : field.getKey().getBytes(StandardCharsets.US_ASCII));
      out.writeBytes("\":".getBytes(StandardCharsets.US_ASCII));
      if (field.getValue() instanceof String value) {
        out.write('"');
        out.writeBytes(field.getKey().equals(target) ? raw
            : value.getBytes(StandardCharsets.US_ASCII));
        out.write('"');
      } else {
        out.writeBytes(String.valueOf(field.getValue()).getBytes(StandardCharsets.US_ASCII));
      }
      first = false;
    }
    out.write('}');
    return out.toByteArray();
  }
}
