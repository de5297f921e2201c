package dev.pyrelease.python;

import java.util.Comparator;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One validation error in a requirements file.
 *
 * @param file the file, relative to the source root with {@code /} separators, or the display name
 *     of inline requirements (e.g. {@code spec.requirements.inline})
 * @param line the physical line (1-based) where the offending logical line starts; 0 when the
 *     problem concerns the file as a whole (e.g. it cannot be read)
 * @param text the offending logical line (continuations joined, comments stripped, credentials in
 *     URLs masked), or {@code ""}
 * @param what what is wrong; quotes the offending text when there is some
 * @param fix how to fix it
 */
public record Problem(String file, int line, String text, String what, String fix) {

  /** Orders problems by file, then line; stable sorts keep the discovery order within a line. */
  public static final Comparator<Problem> BY_LOCATION =
      Comparator.comparing(Problem::file).thenComparingInt(Problem::line);

  private static final int MAX_QUOTED = 200;
  private static final Pattern URL_USERINFO = Pattern.compile("(://)[^/@\\s]+@");

  public Problem {
    Objects.requireNonNull(file, "file");
    text = text == null ? "" : redact(text);
    Objects.requireNonNull(what, "what");
    Objects.requireNonNull(fix, "fix");
  }

  /** {@code file:line} of this problem. */
  public String location() {
    return file + ":" + line;
  }

  /** Exactly {@code file:line: what — fix}. */
  @Override
  public String toString() {
    return file + ":" + line + ": " + what + " \u2014 " + fix;
  }

  /**
   * Masks the user-info part of URLs ({@code https://user:secret@host} → {@code https://***@host}).
   */
  static String redact(String s) {
    return s.indexOf('@') < 0 ? s : URL_USERINFO.matcher(s).replaceAll("$1***@");
  }

  /**
   * Quotes user text for a message: single quotes, control characters escaped, long text cut with
   * an ellipsis so that conditions stay readable, credentials in URLs masked.
   */
  static String quote(String text) {
    String s = redact(text);
    StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_QUOTED) + 3).append('\'');
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      if (n >= MAX_QUOTED) {
        b.append('\u2026');
        break;
      }
      char c = s.charAt(i);
      if (c == '\t') {
        b.append(' ');
      } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
      n++;
    }
    return b.append('\'').toString();
  }
}
