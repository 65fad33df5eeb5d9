package dev.docstore.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.docstore.local.Schema;
import dev.docstore.store.Shards;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No key in schema.sql grows at one end: no primary key or index, as the statements leave the
 * schema (later DROPs applied), leads with a timestamp or date unless a shard column precedes
 * it. Spanner serves a key range from one split, so a key whose new rows all sort last puts
 * every insert on one server whatever the number of nodes. A leading BOOL does not spread
 * anything (a flag with one value is one range), so {@code (Pending, OccurredAt)} leads with
 * its timestamp. A tenant-led key is spread by its tenants and passes.
 */
class SchemaHotSpotTest {
  private static final Pattern CREATE_TABLE = Pattern.compile(
      "(?is)CREATE\\s+TABLE\\s+(\\w+)\\s*\\((.*)\\)\\s*PRIMARY\\s+KEY\\s*\\(([^)]*)\\).*");
  private static final Pattern ADD_COLUMN = Pattern.compile(
      "(?is)ALTER\\s+TABLE\\s+(\\w+)\\s+ADD\\s+COLUMN\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(\\w+)\\s+(\\w+).*");
  private static final Pattern CREATE_INDEX = Pattern.compile(
      "(?is)CREATE\\s+(?:UNIQUE\\s+)?(?:NULL_FILTERED\\s+)?INDEX\\s+(\\w+)\\s+ON\\s+(\\w+)\\s*"
          + "\\(([^)]*)\\).*");
  private static final Pattern DROP = Pattern.compile("(?is)DROP\\s+(INDEX|TABLE)\\s+(\\w+)");
  private static final Pattern SHARD_MODULUS = Pattern.compile(
      "(?i)MOD\\s*\\(\\s*FARM_FINGERPRINT\\s*\\(\\s*\\w+\\s*\\)\\s*,\\s*(\\d+)\\s*\\)");

  /** A primary key or an index: its name, its table, its key columns in order. */
  record Key(String name, String table, List<String> columns) {}

  /** The keys as the statements leave them, with every column's type per table. */
  record Keys(Map<String, Key> keys, Map<String, Map<String, String>> types) {
    String type(String table, String column) {
      return types.getOrDefault(table, Map.of()).getOrDefault(column, "?");
    }
  }

  static Keys keys(List<String> statements) {
    Map<String, Key> keys = new LinkedHashMap<>();
    Map<String, Map<String, String>> types = new LinkedHashMap<>();
    for (String statement : statements) {
      Matcher m;
      if ((m = CREATE_TABLE.matcher(statement)).matches()) {
        Map<String, String> columns = new LinkedHashMap<>();
        for (String definition : topLevel(m.group(2))) {
          String[] words = definition.trim().split("[\\s(]+");
          if (words.length >= 2 && !words[0].equalsIgnoreCase("CONSTRAINT")) {
            columns.put(words[0], words[1].toUpperCase(Locale.ROOT));
          }
        }
        types.put(m.group(1), columns);
        keys.put(m.group(1), new Key("PRIMARY KEY of " + m.group(1), m.group(1),
            columnNames(m.group(3))));
      } else if ((m = ADD_COLUMN.matcher(statement)).matches()) {
        types.computeIfAbsent(m.group(1), t -> new LinkedHashMap<>())
            .put(m.group(2), m.group(3).toUpperCase(Locale.ROOT));
      } else if ((m = CREATE_INDEX.matcher(statement)).matches()) {
        keys.put(m.group(1), new Key(m.group(1), m.group(2), columnNames(m.group(3))));
      } else if ((m = DROP.matcher(statement)).lookingAt()) {
        String name = m.group(2);
        if (m.group(1).equalsIgnoreCase("TABLE")) {
          keys.values().removeIf(k -> k.table().equals(name));
          types.remove(name);
        } else {
          keys.remove(name);
        }
      }
    }
    return new Keys(keys, types);
  }

  /** Each key that leads with a time, skipping BOOL flags: "name (columns): why". */
  static List<String> violations(List<String> statements) {
    Keys all = keys(statements);
    List<String> found = new ArrayList<>();
    for (Key key : all.keys().values()) {
      for (String column : key.columns()) {
        String type = all.type(key.table(), column);
        if (type.equals("BOOL")) {
          continue;
        }
        if (type.equals("TIMESTAMP") || type.equals("DATE")) {
          found.add(key.name() + " " + key.columns() + ": leads with " + type + " " + column
              + " and no shard column before it");
        }
        break;
      }
    }
    return found;
  }

  private static List<String> columnNames(String list) {
    List<String> names = new ArrayList<>();
    for (String part : list.split(",")) {
      names.add(part.trim().split("\\s+")[0]);
    }
    return names;
  }

  /** The comma-separated parts of a table body, ignoring commas inside parentheses. */
  private static List<String> topLevel(String body) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    StringBuilder part = new StringBuilder();
    for (char c : body.toCharArray()) {
      depth += c == '(' ? 1 : c == ')' ? -1 : 0;
      if (c == ',' && depth == 0) {
        parts.add(part.toString());
        part.setLength(0);
      } else {
        part.append(c);
      }
    }
    parts.add(part.toString());
    return parts;
  }

  @Test
  void noKeyOfTheSchemaLeadsWithATimestamp() {
    assertEquals(List.of(), violations(Schema.statements()),
        "a key that leads with a time writes all its new rows to one split: put a shard"
            + " column first (see docs/SCALE.md)");
  }

  @Test
  void theRuleSeesThroughAFlagAndAppliesLaterDrops() {
    List<String> ddl = List.of(
        "CREATE TABLE Events (Id STRING(36) NOT NULL, Pending BOOL, At TIMESTAMP NOT NULL,"
            + " Shard INT64 AS (ABS(MOD(FARM_FINGERPRINT(Id), 16))) STORED,"
            + " CONSTRAINT C CHECK (Id != ''), ) PRIMARY KEY (Id)",
        "CREATE TABLE Log (At TIMESTAMP NOT NULL, Id STRING(36) NOT NULL) PRIMARY KEY (At, Id)",
        "CREATE TABLE Daily (TenantId STRING(128) NOT NULL, Day DATE NOT NULL)"
            + " PRIMARY KEY (TenantId, Day)",
        "CREATE NULL_FILTERED INDEX ByFlag ON Events(Pending, At)",
        "CREATE INDEX ByTime ON Events(At DESC)",
        "CREATE NULL_FILTERED INDEX ByShard ON Events(Shard, Pending, At)",
        "ALTER TABLE Events ADD COLUMN Seen TIMESTAMP",
        "CREATE UNIQUE INDEX BySeen ON Events(Seen)",
        "DROP INDEX ByTime");
    assertEquals(List.of(
        "PRIMARY KEY of Log [At, Id]: leads with TIMESTAMP At and no shard column before it",
        "ByFlag [Pending, At]: leads with TIMESTAMP At and no shard column before it",
        "BySeen [Seen]: leads with TIMESTAMP Seen and no shard column before it"),
        violations(ddl));
  }

  @Test
  void theShardColumnsOfTheSchemaHaveTheStoresShardCount() {
    List<Integer> moduli = new ArrayList<>();
    for (String statement : Schema.statements()) {
      Matcher m = SHARD_MODULUS.matcher(statement);
      while (m.find()) {
        moduli.add(Integer.parseInt(m.group(1)));
      }
    }
    assertFalse(moduli.isEmpty(), "schema.sql has no generated shard column");
    for (int modulus : moduli) {
      assertEquals(Shards.COUNT, modulus, "a shard column of schema.sql and Shards.COUNT differ:"
          + " the readers would miss the shards beyond the smaller one");
    }
  }
}
