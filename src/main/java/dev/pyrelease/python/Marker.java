package dev.pyrelease.python;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A PEP 508 environment marker such as {@code python_version < "3.10" and extra == "redis"}.
 *
 * <p>Evaluation follows the packaging library: a comparison whose right side, with the operator, is
 * a valid PEP 440 specifier and whose left side is a valid version is a version comparison;
 * otherwise it compares strings ({@code in} is substring containment). Values compared with {@code
 * extra} are normalised as names first.
 */
public final class Marker {
  /** Deeper nesting than this is not a real marker, and would otherwise risk a stack overflow. */
  private static final int MAX_DEPTH = 64;

  private static final Set<String> VARIABLES =
      Set.of(
          "python_version",
          "python_full_version",
          "os_name",
          "sys_platform",
          "platform_release",
          "platform_system",
          "platform_version",
          "platform_machine",
          "platform_python_implementation",
          "implementation_name",
          "implementation_version",
          "extra");

  /** The variables whose values are versions, compared by PEP 440 rules. */
  private static final Set<String> VERSION_VARIABLES =
      Set.of("python_version", "python_full_version", "platform_release", "implementation_version");

  /** Pre-PEP 508 spellings that the packaging library still accepts. */
  private static final Map<String, String> LEGACY_VARIABLES =
      Map.of(
          "os.name", "os_name",
          "sys.platform", "sys_platform",
          "platform.version", "platform_version",
          "platform.machine", "platform_machine",
          "platform.python_implementation", "platform_python_implementation",
          "python_implementation", "platform_python_implementation");

  private final Node root;

  private Marker(Node root) {
    this.root = root;
  }

  /**
   * Parses a marker expression.
   *
   * @throws PythonSyntaxException when {@code text} is not a valid marker
   */
  public static Marker parse(String text) {
    if (text == null) {
      throw new PythonSyntaxException("invalid marker: none given");
    }
    return new Marker(new Parser(text).parse());
  }

  /**
   * Evaluates the marker for {@code target}. With extras requested, the marker is true when it is
   * true for at least one of them (each evaluated on its own, as pip does); with none, {@code
   * extra} is the empty string, so {@code extra == "x"} is false.
   */
  public boolean evaluate(TargetPython target, Set<String> extras) {
    Map<String, String> env = new HashMap<>(target.markerEnvironment());
    if (extras == null || extras.isEmpty()) {
      env.put("extra", "");
      return root.evaluate(env);
    }
    for (String extra : extras) {
      env.put("extra", extra);
      if (root.evaluate(env)) {
        return true;
      }
    }
    return false;
  }

  /** Evaluates against an explicit environment; a variable missing from it counts as "". */
  boolean evaluate(Map<String, String> env) {
    return root.evaluate(env);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Marker m && m.toString().equals(toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }

  /** Canonical text: variables bare, strings double-quoted, single spaces, parentheses kept. */
  @Override
  public String toString() {
    return root.toString();
  }

  private interface Node {
    boolean evaluate(Map<String, String> env);
  }

  private record Operand(String value, boolean variable) {
    String resolve(Map<String, String> env) {
      return variable ? env.getOrDefault(value, "") : value;
    }

    @Override
    public String toString() {
      if (variable) {
        return value;
      }
      return value.contains("\"") ? "'" + value + "'" : "\"" + value + "\"";
    }
  }

  private record Comparison(Operand lhs, String op, Operand rhs) implements Node {
    @Override
    public boolean evaluate(Map<String, String> env) {
      String left = lhs.resolve(env);
      String right = rhs.resolve(env);
      if (isExtra(lhs) || isExtra(rhs)) {
        left = PackageName.normalize(left);
        right = PackageName.normalize(right);
      }
      String key = lhs.variable() ? lhs.value() : rhs.variable() ? rhs.value() : "";
      return compare(key, left, op, right);
    }

    private static boolean isExtra(Operand o) {
      return o.variable() && o.value().equals("extra");
    }

    @Override
    public String toString() {
      return lhs + " " + op + " " + rhs;
    }
  }

  /**
   * One comparison, as packaging 26 evaluates it: for the version-valued variables a specifier
   * built from the operator and the right side decides (a left side that is not a version matches
   * nothing); otherwise strings are compared, where {@code <} and {@code >} are always false,
   * {@code <=} and {@code >=} mean equality, and {@code ~=} and {@code ===} are undefined, which
   * this evaluates as false so that it never adds a requirement.
   */
  static boolean compare(String key, String left, String op, String right) {
    if (VERSION_VARIABLES.contains(key) && !op.equals("in") && !op.equals("not in")) {
      Specifier spec = null;
      try {
        spec = Specifier.parse(op + right);
      } catch (PythonSyntaxException notASpecifier) {
        // compared as strings below
      }
      if (spec != null) {
        try {
          return spec.contains(Version.parse(left));
        } catch (PythonSyntaxException notAVersion) {
          return false;
        }
      }
    }
    switch (op) {
      case "in":
        return right.contains(left);
      case "not in":
        return !right.contains(left);
      case "==":
      case "<=":
      case ">=":
        return left.equals(right);
      case "!=":
        return !left.equals(right);
      default:
        return false;
    }
  }

  private record Junction(List<Node> parts, boolean and) implements Node {
    @Override
    public boolean evaluate(Map<String, String> env) {
      for (Node part : parts) {
        if (part.evaluate(env) != and) {
          return !and;
        }
      }
      return and;
    }

    @Override
    public String toString() {
      return parts.stream().map(Node::toString).collect(Collectors.joining(and ? " and " : " or "));
    }
  }

  private record Group(Node inner) implements Node {
    @Override
    public boolean evaluate(Map<String, String> env) {
      return inner.evaluate(env);
    }

    @Override
    public String toString() {
      return "(" + inner + ")";
    }
  }

  /** Recursive descent over: or := and ('or' and)*; and := atom ('and' atom)*. */
  private static final class Parser extends TextScanner {
    private int depth;

    Parser(String text) {
      super(text, "marker");
    }

    Node parse() {
      Node node = or();
      skipSpace();
      if (pos < text.length()) {
        throw fail("unexpected " + rest());
      }
      return node;
    }

    private Node or() {
      List<Node> parts = new ArrayList<>();
      parts.add(and());
      while (keyword("or")) {
        parts.add(and());
      }
      return parts.size() == 1 ? parts.get(0) : new Junction(parts, false);
    }

    private Node and() {
      List<Node> parts = new ArrayList<>();
      parts.add(atom());
      while (keyword("and")) {
        parts.add(atom());
      }
      return parts.size() == 1 ? parts.get(0) : new Junction(parts, true);
    }

    private Node atom() {
      skipSpace();
      if (peek() == '(') {
        pos++;
        if (++depth > MAX_DEPTH) {
          throw fail("parentheses are nested too deeply");
        }
        Node inner = or();
        skipSpace();
        if (peek() != ')') {
          throw fail("expected ')' but found " + rest());
        }
        pos++;
        depth--;
        return new Group(inner);
      }
      Operand lhs = operand();
      String op = operator();
      Operand rhs = operand();
      return new Comparison(lhs, op, rhs);
    }

    private Operand operand() {
      skipSpace();
      char c = peek();
      if (c == '\'' || c == '"') {
        int end = text.indexOf(c, pos + 1);
        if (end < 0) {
          throw fail("unterminated string starting at position " + (pos + 1));
        }
        String value = text.substring(pos + 1, end);
        pos = end + 1;
        return new Operand(value, false);
      }
      String word = word();
      String name = LEGACY_VARIABLES.getOrDefault(word, word);
      if (!VARIABLES.contains(name)) {
        throw fail(
            word.isEmpty()
                ? "expected a variable or a quoted string but found " + rest()
                : "unknown variable '" + word + "'");
      }
      return new Operand(name, true);
    }

    private String operator() {
      skipSpace();
      for (String op : List.of("===", "==", "!=", "<=", ">=", "~=", "<", ">")) {
        if (text.startsWith(op, pos)) {
          pos += op.length();
          return op;
        }
      }
      int mark = pos;
      String word = word();
      if (word.equals("in")) {
        return "in";
      }
      if (word.equals("not")) {
        skipSpace();
        if (word().equals("in")) {
          return "not in";
        }
      }
      pos = mark;
      throw fail("expected a comparison operator but found " + rest());
    }

    private boolean keyword(String keyword) {
      skipSpace();
      int mark = pos;
      if (word().equals(keyword)) {
        return true;
      }
      pos = mark;
      return false;
    }

    private String word() {
      int start = pos;
      while (pos < text.length()) {
        char c = text.charAt(pos);
        if (!(Character.isLetterOrDigit(c) || c == '_' || c == '.')) {
          break;
        }
        pos++;
      }
      return text.substring(start, pos);
    }
  }
}
