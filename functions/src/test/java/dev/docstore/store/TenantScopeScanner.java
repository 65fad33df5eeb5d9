package dev.docstore.store;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Java source of the store layer and reports every SQL statement, Spanner mutation and
 * key read that does not name the caller's tenant (docs/CONTRACT.md, "Tenant isolation").
 *
 * <p>What it recognises, the way this code base writes them:
 * <ul>
 *   <li>{@code Statement.newBuilder(sql)} / {@code Statement.of(sql)}: the SQL (its string
 *       literals, with local String variables and constants inlined) must put
 *       {@code TenantId = @tenantId} after every table it reads or changes (FROM, JOIN, UPDATE;
 *       the alias may qualify it), INSERT INTO must write TenantId from {@code @tenantId}, and
 *       the builder chain must {@code .bind("tenantId")};
 *   <li>{@code new Subquery(alias, sql, params)}: the same SQL rule, and params name "tenantId";
 *   <li>{@code Mutation.newInsertBuilder / newUpdateBuilder / newInsertOrUpdateBuilder /
 *       newReplaceBuilder}: the chain up to {@code .build()} must {@code .set("TenantId")};
 *   <li>{@code Mutation.delete(table, key)} and {@code read / readRow / readUsingIndex /
 *       readRowUsingIndex(table, key, ...)}: the key must be {@code Key.of(<tenant...>, ...)},
 *       directly or through a local {@code Key name = Key.of(...)};
 *   <li>any other string literal that looks like SQL, and a statement whose SQL is not built
 *       from literals: the scanner cannot check them, so they are reported too.
 * </ul>
 * It is deliberately simple and strict: code it cannot understand is a finding, and the test
 * keeps an explicit allowlist for the deliberate exceptions.
 */
final class TenantScopeScanner {
  /** One statement, mutation or read that does not (visibly) name the tenant. */
  record Finding(String file, int line, String kind, String snippet) {
    @Override
    public String toString() {
      return file + ":" + line + " " + kind + ": " + snippet;
    }
  }

  /** What was looked at, so a test can tell a clean scan from an empty one. */
  record Result(List<Finding> findings, int statements, int mutations, int keyReads) {}

  private static final Pattern STATEMENT =
      Pattern.compile("\\bStatement\\s*\\.\\s*(newBuilder|of)\\s*\\(");
  private static final Pattern SUBQUERY = Pattern.compile("\\bnew\\s+Subquery\\s*\\(");
  private static final Pattern MUTATION_BUILDER = Pattern.compile(
      "\\bMutation\\s*\\.\\s*(newInsertBuilder|newUpdateBuilder|newInsertOrUpdateBuilder"
          + "|newReplaceBuilder)\\s*\\(");
  private static final Pattern MUTATION_DELETE =
      Pattern.compile("\\bMutation\\s*\\.\\s*delete\\s*\\(");
  private static final Pattern KEY_READ = Pattern.compile(
      "\\.\\s*(read|readRow|readUsingIndex|readRowUsingIndex|readAsync|readRowAsync)\\s*\\(");
  /** SQL in any case by its shape, or any upper-case keyword (SQL is written upper-case here). */
  private static final Pattern SQL_WORD = Pattern.compile(
      "\\b(SELECT|UPDATE|DELETE|INSERT|FROM)\\b|(?i)\\bselect\\b.*\\bfrom\\b"
          + "|\\bupdate\\s+\\w+\\s+set\\b|\\bdelete\\s+from\\b|\\binsert\\s+into\\b");
  private static final Pattern TABLE_REF = Pattern.compile(
      "(?i)(?<![@\\w.])(FROM|JOIN|UPDATE|INTO)\\s+(\\w+)(?:@\\{[^}]*})?"
          + "(?:\\s+(?:AS\\s+)?(\\w+))?");
  private static final Pattern TENANT_PREDICATE =
      Pattern.compile("(?i)(?:\\b(\\w+)\\.)?\\bTenantId\\s*=\\s*@tenantId\\b");
  private static final Pattern NOT_AN_ALIAS = Pattern.compile(
      "(?i)WHERE|ORDER|LIMIT|GROUP|JOIN|LEFT|RIGHT|INNER|CROSS|FULL|ON|SET|AS|UNION|HAVING"
          + "|VALUES|USING|TABLESAMPLE|WITH");
  private static final Pattern TENANT_KEY = Pattern.compile(
      "^\\s*(?:[\\w.]+\\.)?Key\\s*\\.\\s*of\\s*\\(\\s*([\\w.]*[tT]enant[\\w.]*(?:\\(\\))?)\\s*[,)]");

  private TenantScopeScanner() {}

  static Result scan(String file, String source) {
    Source src = new Source(source);
    List<Finding> findings = new ArrayList<>();
    boolean[] sqlLiteralAccounted = new boolean[src.literals.size()];
    int statements = 0;
    int mutations = 0;
    int keyReads = 0;

    // ---- SQL statements ----
    for (Matcher m = STATEMENT.matcher(src.masked); m.find(); ) {
      statements++;
      int open = m.end() - 1;
      int close = src.closingParen(open);
      List<int[]> args = src.arguments(open, close);
      String sql = src.sql(args.get(0)[0], args.get(0)[1], sqlLiteralAccounted);
      String chain = src.chainToBuild(close);
      int line = src.line(m.start());
      if (sql == null) {
        findings.add(new Finding(file, line, "SQL not built from literals",
            src.code.substring(m.start(), close + 1)));
        continue;
      }
      checkSql(file, line, sql, findings);
      if (hasTables(sql) && !chain.matches("(?s).*\\.\\s*bind\\s*\\(\\s*\"tenantId\"\\s*\\).*")) {
        findings.add(new Finding(file, line, "statement does not bind @tenantId", oneLine(sql)));
      }
    }
    for (Matcher m = SUBQUERY.matcher(src.masked); m.find(); ) {
      statements++;
      int open = m.end() - 1;
      int close = src.closingParen(open);
      List<int[]> args = src.arguments(open, close);
      int line = src.line(m.start());
      if (args.size() != 3) {
        findings.add(new Finding(file, line, "Subquery not (alias, sql, params)",
            src.code.substring(m.start(), close + 1)));
        continue;
      }
      src.sql(args.get(0)[0], args.get(0)[1], sqlLiteralAccounted);
      String sql = src.sql(args.get(1)[0], args.get(1)[1], sqlLiteralAccounted);
      if (sql == null) {
        findings.add(new Finding(file, line, "SQL not built from literals",
            src.code.substring(m.start(), close + 1)));
        continue;
      }
      checkSql(file, line, sql, findings);
      String params = src.code.substring(args.get(2)[0], args.get(2)[1]);
      if (!params.contains("\"tenantId\"")) {
        findings.add(new Finding(file, line, "subquery params do not bind tenantId",
            oneLine(sql)));
      }
    }

    // ---- mutations ----
    for (Matcher m = MUTATION_BUILDER.matcher(src.masked); m.find(); ) {
      mutations++;
      int close = src.closingParen(m.end() - 1);
      String chain = src.chainToBuild(close);
      if (!chain.matches("(?s).*\\.\\s*set\\s*\\(\\s*\"TenantId\"\\s*\\).*")) {
        findings.add(new Finding(file, src.line(m.start()),
            "mutation does not set TenantId", oneLine(src.code.substring(m.start(),
                Math.min(src.code.length(), close + 1 + Math.min(chain.length(), 120))))));
      }
    }
    for (Matcher m = MUTATION_DELETE.matcher(src.masked); m.find(); ) {
      mutations++;
      int open = m.end() - 1;
      int close = src.closingParen(open);
      checkKey(file, src, m.start(), open, close, "Mutation.delete", findings);
    }

    // ---- reads by key ----
    for (Matcher m = KEY_READ.matcher(src.masked); m.find(); ) {
      keyReads++;
      int open = m.end() - 1;
      int close = src.closingParen(open);
      checkKey(file, src, m.start(), open, close, m.group(1), findings);
    }

    // ---- SQL anywhere else cannot be checked ----
    for (int i = 0; i < src.literals.size(); i++) {
      Literal lit = src.literals.get(i);
      if (!sqlLiteralAccounted[i] && SQL_WORD.matcher(lit.value).find()) {
        findings.add(new Finding(file, src.line(lit.start), "SQL outside a statement builder",
            oneLine(lit.value)));
      }
    }
    return new Result(findings, statements, mutations, keyReads);
  }

  private static boolean hasTables(String sql) {
    return TABLE_REF.matcher(sql).find();
  }

  /** Every table reference must be followed, before the next one, by its tenant predicate. */
  private static void checkSql(String file, int line, String sql, List<Finding> findings) {
    List<MatchResult> refs = new ArrayList<>();
    for (Matcher t = TABLE_REF.matcher(sql); t.find(); ) {
      refs.add(new MatchResult(t.start(), t.end(), t.group(1).toUpperCase(), t.group(2),
          t.group(3) == null || NOT_AN_ALIAS.matcher(t.group(3)).matches() ? null : t.group(3)));
    }
    for (int i = 0; i < refs.size(); i++) {
      MatchResult ref = refs.get(i);
      int end = i + 1 < refs.size() ? refs.get(i + 1).start : sql.length();
      String segment = sql.substring(ref.end, end);
      boolean scoped;
      if (ref.keyword.equals("INTO")) {
        scoped = segment.matches("(?s).*\\bTenantId\\b.*") && segment.contains("@tenantId");
      } else {
        scoped = false;
        // Unqualified, the predicate belongs to the nearest table before it; qualified by the
        // table's alias, it may come later (a join's WHERE scoping the FROM table).
        String rest = sql.substring(ref.end);
        for (Matcher p = TENANT_PREDICATE.matcher(rest); p.find(); ) {
          String qualifier = p.group(1);
          boolean inSegment = p.start() < segment.length();
          if ((qualifier == null && inSegment) || (qualifier != null
              && (qualifier.equalsIgnoreCase(ref.table) || qualifier.equalsIgnoreCase(ref.alias))))
          {
            scoped = true;
            break;
          }
        }
      }
      if (!scoped) {
        findings.add(new Finding(file, line,
            ref.keyword + " " + ref.table + " without TenantId = @tenantId", oneLine(sql)));
      }
    }
  }

  private static void checkKey(String file, Source src, int start, int open, int close,
      String what, List<Finding> findings) {
    List<int[]> args = src.arguments(open, close);
    String key = args.size() < 2 ? "" : src.code.substring(args.get(1)[0], args.get(1)[1]).trim();
    if (key.matches("\\w+")) {
      Matcher local = Pattern.compile("\\bKey\\s+" + key + "\\s*=\\s*([^;]*);").matcher(src.code);
      key = local.find() ? local.group(1) : key;
    }
    if (!TENANT_KEY.matcher(key).find()) {
      findings.add(new Finding(file, src.line(start), what + " key does not start with the tenant",
          oneLine(src.code.substring(start, close + 1))));
    }
  }

  private static String oneLine(String s) {
    String flat = s.replaceAll("\\s+", " ").trim();
    return flat.length() > 160 ? flat.substring(0, 157) + "..." : flat;
  }

  private record MatchResult(int start, int end, String keyword, String table, String alias) {}

  private record Literal(int start, int end, String value) {}

  /**
   * The source three ways: {@code code} without comments, {@code masked} with string literal
   * contents blanked too (for parenthesis matching), both index-aligned; and the literals.
   */
  private static final class Source {
    final String code;
    final String masked;
    final List<Literal> literals = new ArrayList<>();
    private final String original;

    Source(String source) {
      this.original = source;
      StringBuilder code = new StringBuilder(source);
      StringBuilder masked = new StringBuilder(source);
      int i = 0;
      int n = source.length();
      while (i < n) {
        char c = source.charAt(i);
        if (c == '/' && i + 1 < n && source.charAt(i + 1) == '/') {
          int end = source.indexOf('\n', i);
          end = end < 0 ? n : end;
          blank(code, i, end);
          blank(masked, i, end);
          i = end;
        } else if (c == '/' && i + 1 < n && source.charAt(i + 1) == '*') {
          int end = source.indexOf("*/", i + 2);
          end = end < 0 ? n : end + 2;
          blank(code, i, end);
          blank(masked, i, end);
          i = end;
        } else if (source.startsWith("\"\"\"", i)) {
          int end = source.indexOf("\"\"\"", i + 3);
          end = end < 0 ? n : end + 3;
          literals.add(new Literal(i, end, source.substring(i + 3, Math.max(i + 3, end - 3))));
          blank(masked, i + 3, end - 3);
          i = end;
        } else if (c == '"' || c == '\'') {
          StringBuilder value = new StringBuilder();
          int j = i + 1;
          while (j < n && source.charAt(j) != c) {
            if (source.charAt(j) == '\\' && j + 1 < n) {
              value.append(source.charAt(j + 1));
              j += 2;
            } else {
              value.append(source.charAt(j));
              j++;
            }
          }
          if (c == '"') {
            literals.add(new Literal(i, j + 1, value.toString()));
          }
          blank(masked, i + 1, j);
          i = j + 1;
        } else {
          i++;
        }
      }
      this.code = code.toString();
      this.masked = masked.toString();
    }

    private static void blank(StringBuilder sb, int from, int to) {
      for (int k = from; k < to && k < sb.length(); k++) {
        if (sb.charAt(k) != '\n') {
          sb.setCharAt(k, ' ');
        }
      }
    }

    int line(int index) {
      int line = 1;
      for (int k = 0; k < index && k < original.length(); k++) {
        if (original.charAt(k) == '\n') {
          line++;
        }
      }
      return line;
    }

    int closingParen(int open) {
      int depth = 0;
      for (int k = open; k < masked.length(); k++) {
        char c = masked.charAt(k);
        if (c == '(') {
          depth++;
        } else if (c == ')' && --depth == 0) {
          return k;
        }
      }
      throw new IllegalArgumentException("unbalanced parenthesis at " + line(open));
    }

    /** The top-level arguments between the parentheses, as [start, end) ranges. */
    List<int[]> arguments(int open, int close) {
      List<int[]> args = new ArrayList<>();
      int depth = 0;
      int start = open + 1;
      for (int k = open + 1; k < close; k++) {
        char c = masked.charAt(k);
        if (c == '(' || c == '[' || c == '{') {
          depth++;
        } else if (c == ')' || c == ']' || c == '}') {
          depth--;
        } else if (c == ',' && depth == 0) {
          args.add(new int[] {start, k});
          start = k + 1;
        }
      }
      args.add(new int[] {start, close});
      return args;
    }

    /** The method chain after a call, up to and including the next {@code .build()}. */
    String chainToBuild(int close) {
      Matcher build = Pattern.compile("\\.\\s*build\\s*\\(\\s*\\)").matcher(masked);
      int end = build.find(close) ? build.end() : Math.min(masked.length(), close + 1);
      return code.substring(close + 1, end);
    }

    /**
     * The SQL an expression spells: its literals in order, with bare identifiers replaced by
     * the literals of their {@code String name = ...;} (and {@code name += ...;}) in this file.
     * Null when the expression holds no literal at all.
     */
    String sql(int from, int to, boolean[] accounted) {
      StringBuilder sql = new StringBuilder();
      boolean any = false;
      Matcher ident = Pattern.compile("(?<![\\w.])([A-Za-z_]\\w*)\\b(?!\\s*[.(])")
          .matcher(masked);
      int k = from;
      while (k < to) {
        Literal lit = literalAt(k);
        if (lit != null) {
          sql.append(lit.value);
          accounted[literals.indexOf(lit)] = true;
          any = true;
          k = lit.end;
          continue;
        }
        if (ident.find(k) && ident.start() == k && ident.end() <= to) {
          String inlined = variable(ident.group(1), accounted);
          if (inlined != null) {
            sql.append(inlined);
            any = true;
          }
          k = ident.end();
          continue;
        }
        k++;
      }
      return any ? sql.toString() : null;
    }

    private String variable(String name, boolean[] accounted) {
      StringBuilder value = new StringBuilder();
      boolean found = false;
      Matcher m = Pattern.compile("(?:\\bString\\s+" + name + "\\s*=|(?<![\\w.])" + name
          + "\\s*\\+=)([^;]*);").matcher(masked);
      while (m.find()) {
        for (int k = m.start(1); k < m.end(1); k++) {
          Literal lit = literalAt(k);
          if (lit != null) {
            value.append(lit.value);
            accounted[literals.indexOf(lit)] = true;
            found = true;
            k = lit.end - 1;
          }
        }
      }
      return found ? value.toString() : null;
    }

    private Literal literalAt(int index) {
      for (Literal lit : literals) {
        if (lit.start == index) {
          return lit;
        }
      }
      return null;
    }
  }
}
