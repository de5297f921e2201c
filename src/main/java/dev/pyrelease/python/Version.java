package dev.pyrelease.python;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A PEP 440 version. Parsing accepts every spelling PEP 440 allows (alternate pre-release names,
 * implicit post releases, separators, a leading 'v', any case) and {@link #toString()} gives the
 * normalised form. Numbers are {@link BigInteger}s because versions such as calendar dates or build
 * numbers can exceed a long. Equality follows the ordering, so {@code 1.0} equals {@code 1.0.0}.
 */
public final class Version implements Comparable<Version> {

  /** The kind of a pre-release, in PEP 440 order. */
  public enum PreKind {
    A("a"),
    B("b"),
    RC("rc");

    private final String text;

    PreKind(String text) {
      this.text = text;
    }

    @Override
    public String toString() {
      return text;
    }
  }

  private final BigInteger epoch;
  private final List<BigInteger> release;
  private final PreKind preKind; // null when not a pre-release
  private final BigInteger preNumber;
  private final BigInteger post; // null when not a post-release
  private final BigInteger dev; // null when not a dev release
  private final List<Object> local; // String or BigInteger segments; empty when none

  private Version(
      BigInteger epoch,
      List<BigInteger> release,
      PreKind preKind,
      BigInteger preNumber,
      BigInteger post,
      BigInteger dev,
      List<Object> local) {
    this.epoch = epoch;
    this.release = List.copyOf(release);
    this.preKind = preKind;
    this.preNumber = preNumber;
    this.post = post;
    this.dev = dev;
    this.local = List.copyOf(local);
  }

  /**
   * Parses a PEP 440 version.
   *
   * @throws PythonSyntaxException when {@code text} is not a valid version
   */
  public static Version parse(String text) {
    if (text == null) {
      throw new PythonSyntaxException("invalid version: no version given");
    }
    return new Parser(text).parse();
  }

  public BigInteger epoch() {
    return epoch;
  }

  /** The release segment as written (trailing zeros kept: {@code 1.0.0} has three). */
  public List<BigInteger> release() {
    return release;
  }

  /** The pre-release kind, or null. */
  public PreKind preKind() {
    return preKind;
  }

  /** The pre-release number, or null. */
  public BigInteger preNumber() {
    return preNumber;
  }

  /** The post-release number, or null. */
  public BigInteger post() {
    return post;
  }

  /** The dev-release number, or null. */
  public BigInteger dev() {
    return dev;
  }

  /** The local label in normalised form without the '+', or null. */
  public String local() {
    if (local.isEmpty()) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    for (Object segment : local) {
      if (out.length() > 0) {
        out.append('.');
      }
      out.append(segment);
    }
    return out.toString();
  }

  /** PEP 440: dev releases are pre-releases too ({@code 1.0.dev0} is not final). */
  public boolean isPrerelease() {
    return preKind != null || dev != null;
  }

  public boolean isDevrelease() {
    return dev != null;
  }

  public boolean isPostrelease() {
    return post != null;
  }

  public boolean hasLocal() {
    return !local.isEmpty();
  }

  /** This version without its local label. */
  public Version publicVersion() {
    if (local.isEmpty()) {
      return this;
    }
    return new Version(epoch, release, preKind, preNumber, post, dev, List.of());
  }

  /** Epoch and release only: {@code 1!2.0rc1.post3+x} gives {@code 1!2.0}. */
  public Version baseVersion() {
    return new Version(epoch, release, null, null, null, null, List.of());
  }

  /** The version this is a post-release of: {@code 1.0a1.post2.dev3+x} gives {@code 1.0a1}. */
  Version postBase() {
    return new Version(epoch, release, preKind, preNumber, null, null, List.of());
  }

  /** The earliest pre-release of this version: {@code 1.2} gives {@code 1.2.dev0}. */
  Version earliestPrerelease() {
    return new Version(epoch, release, preKind, preNumber, post, BigInteger.ZERO, List.of());
  }

  @Override
  public int compareTo(Version other) {
    int c = epoch.compareTo(other.epoch);
    if (c != 0) {
      return c;
    }
    c = compareRelease(release, other.release);
    if (c != 0) {
      return c;
    }
    c = Integer.compare(preRank(), other.preRank());
    if (c != 0) {
      return c;
    }
    if (preKind != null) {
      c = preKind.compareTo(other.preKind);
      if (c != 0) {
        return c;
      }
      c = preNumber.compareTo(other.preNumber);
      if (c != 0) {
        return c;
      }
    }
    // no post release sorts before any post release
    c = compareNullable(post, other.post, -1);
    if (c != 0) {
      return c;
    }
    // no dev release sorts after any dev release
    c = compareNullable(dev, other.dev, 1);
    if (c != 0) {
      return c;
    }
    return compareLocal(local, other.local);
  }

  /**
   * Where the pre-release part puts a version relative to others with the same release: a bare dev
   * release ({@code 1.0.dev1}) is below every pre-release, a version without pre-release above.
   */
  private int preRank() {
    if (preKind != null) {
      return 0;
    }
    if (post == null && dev != null) {
      return -1;
    }
    return 1;
  }

  private static int compareNullable(BigInteger a, BigInteger b, int nullSign) {
    if (a == null && b == null) {
      return 0;
    }
    if (a == null) {
      return nullSign;
    }
    if (b == null) {
      return -nullSign;
    }
    return a.compareTo(b);
  }

  /** Compares release segments as if the shorter one were padded with zeros. */
  private static int compareRelease(List<BigInteger> a, List<BigInteger> b) {
    int n = Math.max(a.size(), b.size());
    for (int i = 0; i < n; i++) {
      BigInteger x = i < a.size() ? a.get(i) : BigInteger.ZERO;
      BigInteger y = i < b.size() ? b.get(i) : BigInteger.ZERO;
      int c = x.compareTo(y);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /**
   * PEP 440 local ordering: segment by segment, alphanumeric segments sort before numeric ones, and
   * a longer label sorts after its own prefix; no label sorts first.
   */
  private static int compareLocal(List<Object> a, List<Object> b) {
    int n = Math.min(a.size(), b.size());
    for (int i = 0; i < n; i++) {
      Object x = a.get(i);
      Object y = b.get(i);
      int c;
      if (x instanceof BigInteger bx && y instanceof BigInteger by) {
        c = bx.compareTo(by);
      } else if (x instanceof BigInteger) {
        c = 1;
      } else if (y instanceof BigInteger) {
        c = -1;
      } else {
        c = ((String) x).compareTo((String) y);
      }
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Version v && compareTo(v) == 0;
  }

  @Override
  public int hashCode() {
    // trailing zeros do not change the ordering, so they must not change the hash
    int end = release.size();
    while (end > 0 && release.get(end - 1).signum() == 0) {
      end--;
    }
    return Objects.hash(
        epoch, release.subList(0, end), preKind, preNumber, post, dev, local.toString());
  }

  /** The normalised form, e.g. {@code 1.0rc1.post2.dev3+ubuntu.1}. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    if (epoch.signum() != 0) {
      out.append(epoch).append('!');
    }
    for (int i = 0; i < release.size(); i++) {
      if (i > 0) {
        out.append('.');
      }
      out.append(release.get(i));
    }
    if (preKind != null) {
      out.append(preKind).append(preNumber);
    }
    if (post != null) {
      out.append(".post").append(post);
    }
    if (dev != null) {
      out.append(".dev").append(dev);
    }
    if (!local.isEmpty()) {
      out.append('+').append(local());
    }
    return out.toString();
  }

  /**
   * A hand-written scanner rather than the PEP's regular expression: java.util.regex recurses on
   * repeated groups and can overflow the stack on long inputs, and every failure here must be a
   * {@link PythonSyntaxException}.
   */
  private static final class Parser {
    private static final String[] PRE_SPELLINGS = {
      "preview", "alpha", "beta", "pre", "rc", "a", "b", "c"
    };
    private static final String[] POST_SPELLINGS = {"post", "rev", "r"};

    private final String original;
    private final String s;
    private int pos;

    Parser(String text) {
      this.original = text;
      this.s = text.strip().toLowerCase(Locale.ROOT);
    }

    Version parse() {
      if (s.isEmpty()) {
        throw fail("it is empty");
      }
      if (peek() == 'v') {
        pos++;
      }
      BigInteger epoch = BigInteger.ZERO;
      if (!isDigit(peek())) {
        throw fail("it must start with a number");
      }
      BigInteger first = number();
      if (peek() == '!') {
        pos++;
        epoch = first;
        if (!isDigit(peek())) {
          throw fail("a release number must follow the epoch '!'");
        }
        first = number();
      }
      List<BigInteger> release = new ArrayList<>();
      release.add(first);
      while (peek() == '.' && isDigit(peekAt(pos + 1))) {
        pos++;
        release.add(number());
      }
      PreKind preKind = null;
      BigInteger preNumber = null;
      int mark = pos;
      skipSeparator();
      String pre = word(PRE_SPELLINGS);
      if (pre == null) {
        pos = mark;
      } else {
        preKind = preKind(pre);
        preNumber = optionalNumber();
      }
      BigInteger post = null;
      mark = pos;
      if (peek() == '-' && isDigit(peekAt(pos + 1))) {
        pos++;
        post = number(); // implicit post release: 1.0-1
      } else {
        skipSeparator();
        if (word(POST_SPELLINGS) == null) {
          pos = mark;
        } else {
          post = optionalNumber();
        }
      }
      BigInteger dev = null;
      mark = pos;
      skipSeparator();
      if (s.startsWith("dev", pos)) {
        pos += 3;
        dev = optionalNumber();
      } else {
        pos = mark;
      }
      List<Object> local = new ArrayList<>();
      if (peek() == '+') {
        pos++;
        local = localSegments();
      }
      if (pos != s.length()) {
        throw fail("unexpected '" + s.charAt(pos) + "' at position " + (pos + 1));
      }
      return new Version(epoch, release, preKind, preNumber, post, dev, local);
    }

    private List<Object> localSegments() {
      List<Object> segments = new ArrayList<>();
      while (true) {
        int start = pos;
        while (pos < s.length() && isAlphanumeric(s.charAt(pos))) {
          pos++;
        }
        if (start == pos) {
          throw fail("the local label after '+' needs letters or digits between separators");
        }
        String segment = s.substring(start, pos);
        boolean numeric = segment.chars().allMatch(Parser::isDigit);
        segments.add(numeric ? new BigInteger(segment) : segment);
        if (pos < s.length() && isSeparator(s.charAt(pos))) {
          pos++;
        } else {
          return segments;
        }
      }
    }

    private static PreKind preKind(String spelling) {
      switch (spelling) {
        case "a":
        case "alpha":
          return PreKind.A;
        case "b":
        case "beta":
          return PreKind.B;
        default:
          return PreKind.RC; // c, rc, pre, preview
      }
    }

    /**
     * A number after an optional separator, or zero when there is none (1.0a == 1.0a0). As in the
     * PEP's regular expression the separator belongs here even without a number ("1.0a-").
     */
    private BigInteger optionalNumber() {
      skipSeparator();
      return isDigit(peek()) ? number() : BigInteger.ZERO;
    }

    private String word(String[] spellings) {
      for (String w : spellings) {
        if (s.startsWith(w, pos)) {
          pos += w.length();
          return w;
        }
      }
      return null;
    }

    private void skipSeparator() {
      if (isSeparator(peek())) {
        pos++;
      }
    }

    private BigInteger number() {
      int start = pos;
      while (pos < s.length() && isDigit(s.charAt(pos))) {
        pos++;
      }
      return new BigInteger(s.substring(start, pos));
    }

    private char peek() {
      return peekAt(pos);
    }

    private char peekAt(int i) {
      return i < s.length() ? s.charAt(i) : '\0';
    }

    private static boolean isDigit(int c) {
      return c >= '0' && c <= '9';
    }

    private static boolean isAlphanumeric(char c) {
      return isDigit(c) || (c >= 'a' && c <= 'z');
    }

    private static boolean isSeparator(char c) {
      return c == '.' || c == '-' || c == '_';
    }

    private PythonSyntaxException fail(String why) {
      return new PythonSyntaxException(
          "invalid version " + PythonSyntaxException.quote(original) + ": " + why);
    }
  }
}
