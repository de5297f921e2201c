package dev.pyrelease.python;

import java.math.BigInteger;
import java.util.List;
import java.util.Locale;

/**
 * One PEP 440 version clause such as {@code >=1.2}, {@code ==1.1.*} or {@code ~=2.2}.
 *
 * <p>{@link #contains(Version)} applies only the operator's own rules (including the exclusive
 * ordered comparison rules for pre-, post- and local versions). Whether pre-releases are accepted
 * at all is a property of the whole set and is decided by {@link SpecifierSet}.
 */
public final class Specifier {
  private static final List<String> OPERATORS =
      List.of("===", "~=", "==", "!=", "<=", ">=", "<", ">");

  private final String operator;
  private final String version;
  private final Version parsed; // null for ===
  private final boolean wildcard;

  private Specifier(String operator, String version, Version parsed, boolean wildcard) {
    this.operator = operator;
    this.version = version;
    this.parsed = parsed;
    this.wildcard = wildcard;
  }

  /**
   * Parses one clause; whitespace around and between operator and version is allowed.
   *
   * @throws PythonSyntaxException when the clause is not valid
   */
  public static Specifier parse(String text) {
    if (text == null) {
      throw new PythonSyntaxException("invalid specifier: none given");
    }
    String clause = text.strip();
    String op = null;
    for (String candidate : OPERATORS) {
      if (clause.startsWith(candidate)) {
        op = candidate;
        break;
      }
    }
    if (op == null) {
      throw invalid(text, "it must start with one of " + String.join(" ", OPERATORS));
    }
    String v = clause.substring(op.length()).strip();
    if (v.isEmpty()) {
      throw invalid(text, "a version must follow '" + op + "'");
    }
    if (op.equals("===")) {
      // arbitrary equality compares strings; anything without whitespace is allowed
      if (v.chars().anyMatch(c -> Character.isWhitespace(c) || c == ';' || c == ')')) {
        throw invalid(text, "the version of '===' must not contain spaces, ';' or ')'");
      }
      return new Specifier(op, v, null, false);
    }
    boolean wildcard = v.endsWith(".*");
    Version parsed = parseVersion(text, wildcard ? v.substring(0, v.length() - 2) : v);
    if (wildcard) {
      if (!op.equals("==") && !op.equals("!=")) {
        throw invalid(text, "'.*' is only allowed with == and !=");
      }
      if (parsed.isPrerelease() || parsed.isPostrelease() || parsed.hasLocal()) {
        throw invalid(text, "'.*' may only follow a release number such as 1.2");
      }
    } else if (parsed.hasLocal() && !op.equals("==") && !op.equals("!=")) {
      throw invalid(text, "a local version (+...) is only allowed with == and !=");
    }
    if (op.equals("~=") && parsed.release().size() < 2) {
      throw invalid(text, "'~=' needs at least two release numbers, e.g. ~=1.0");
    }
    return new Specifier(op, v, parsed, wildcard);
  }

  private static Version parseVersion(String clause, String v) {
    try {
      return Version.parse(v);
    } catch (PythonSyntaxException e) {
      throw new PythonSyntaxException(
          "invalid specifier " + PythonSyntaxException.quote(clause) + ": " + e.getMessage(), e);
    }
  }

  private static PythonSyntaxException invalid(String text, String why) {
    return new PythonSyntaxException(
        "invalid specifier " + PythonSyntaxException.quote(text) + ": " + why);
  }

  public String operator() {
    return operator;
  }

  /** The version as written (including a trailing {@code .*}). */
  public String version() {
    return version;
  }

  /**
   * Whether this clause itself names a pre-release, which makes PEP 440 accept pre-releases for the
   * whole set (e.g. {@code >=1.0b1}).
   */
  boolean impliesPrereleases() {
    if (operator.equals("!=") || wildcard) {
      return false;
    }
    if (parsed != null) {
      return parsed.isPrerelease();
    }
    try {
      return Version.parse(version).isPrerelease();
    } catch (PythonSyntaxException e) {
      return false;
    }
  }

  /** Whether {@code v} matches this clause by the operator's rules alone (see class comment). */
  public boolean contains(Version v) {
    switch (operator) {
      case "===":
        return v.toString().toLowerCase(Locale.ROOT).equals(version.toLowerCase(Locale.ROOT));
      case "==":
        return equal(v);
      case "!=":
        return !equal(v);
      case "<=":
        return v.publicVersion().compareTo(parsed) <= 0;
      case ">=":
        return v.publicVersion().compareTo(parsed) >= 0;
      case "<":
        return lessThan(v);
      case ">":
        return greaterThan(v);
      case "~=":
        return compatible(v);
      default:
        throw new IllegalStateException(operator); // parse() admits no other operator
    }
  }

  private boolean equal(Version v) {
    if (wildcard) {
      return prefixMatches(v, parsed.release());
    }
    if (parsed.hasLocal()) {
      return v.equals(parsed);
    }
    // a specifier without a local label ignores the candidate's local label
    return v.publicVersion().equals(parsed);
  }

  private boolean lessThan(Version v) {
    if (v.compareTo(parsed) >= 0) {
      return false;
    }
    // <1.0 must not admit a pre-release of 1.0 (1.0rc1, 1.0.dev1) unless it names one itself
    return parsed.isPrerelease()
        || !v.isPrerelease()
        || v.compareTo(parsed.earliestPrerelease()) < 0;
  }

  private boolean greaterThan(Version v) {
    if (v.compareTo(parsed) <= 0) {
      return false;
    }
    // >1.7 must not admit a post-release of 1.7 (unless it names a post-release itself)
    if (!parsed.isPostrelease() && v.isPostrelease() && v.postBase().equals(parsed)) {
      return false;
    }
    // nor a local version of 1.7
    return !(v.hasLocal() && v.publicVersion().equals(parsed));
  }

  /** ~=X.Y.Z means >=X.Y.Z together with ==X.Y.* */
  private boolean compatible(Version v) {
    List<BigInteger> release = parsed.release();
    return v.publicVersion().compareTo(parsed) >= 0
        && prefixMatches(v, release.subList(0, release.size() - 1));
  }

  /** Whether the epoch matches and v's release, padded with zeros, starts with {@code prefix}. */
  private boolean prefixMatches(Version v, List<BigInteger> prefix) {
    if (!v.epoch().equals(parsed.epoch())) {
      return false;
    }
    List<BigInteger> release = v.release();
    for (int i = 0; i < prefix.size(); i++) {
      BigInteger part = i < release.size() ? release.get(i) : BigInteger.ZERO;
      if (!part.equals(prefix.get(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Specifier s && s.operator.equals(operator) && s.version.equals(version);
  }

  @Override
  public int hashCode() {
    return operator.hashCode() * 31 + version.hashCode();
  }

  @Override
  public String toString() {
    return operator + version;
  }
}
