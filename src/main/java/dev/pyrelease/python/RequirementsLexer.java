package dev.pyrelease.python;

import java.util.ArrayList;
import java.util.List;

/**
 * The lexical layer of pip's requirements-file format: physical lines, {@code \} continuations,
 * {@code #} comments, the split between a requirement and its options, and shell-like splitting of
 * options. Pure and total: it never throws for any input except where documented.
 */
final class RequirementsLexer {

  /** One logical line: where it starts and its text (joined, comment-free, trimmed, non-empty). */
  record LogicalLine(int line, String text) {}

  private RequirementsLexer() {}

  /**
   * Splits {@code content} into logical lines the way pip does: a UTF-8 byte order mark is dropped;
   * lines end at {@code \n}, {@code \r\n} or {@code \r}; a line ending in {@code \} is joined with
   * the next one unless it is (or ends in) a comment; a comment line ends a continuation; a {@code
   * #} at the start of a line or after whitespace starts a comment (so URL fragments such as {@code
   * #sha256=} or {@code #egg=} are kept); blank results are dropped. A trailing {@code \} on the
   * last line is simply removed.
   */
  static List<LogicalLine> lex(String content) {
    List<LogicalLine> out = new ArrayList<>();
    int i = content.startsWith("\uFEFF") ? 1 : 0;
    int n = content.length();
    int lineNo = 0;
    int joinStart = -1;
    StringBuilder joined = null;
    while (i < n) {
      int end = i;
      while (end < n && content.charAt(end) != '\n' && content.charAt(end) != '\r') {
        end++;
      }
      String physical = content.substring(i, end);
      lineNo++;
      i = end;
      if (i < n) {
        i += (content.charAt(i) == '\r' && i + 1 < n && content.charAt(i + 1) == '\n') ? 2 : 1;
      }
      boolean comment = commentStart(physical) >= 0;
      if (!physical.endsWith("\\") || comment) {
        if (joined != null) {
          // pip prefixes a comment line with a space so that it is still seen as a comment
          joined.append(comment ? " " : "").append(physical);
          emit(out, joinStart, joined.toString());
          joined = null;
        } else {
          emit(out, lineNo, physical);
        }
      } else {
        if (joined == null) {
          joined = new StringBuilder();
          joinStart = lineNo;
        }
        joined.append(physical, 0, physical.length() - 1);
      }
    }
    if (joined != null) {
      emit(out, joinStart, joined.toString());
    }
    return out;
  }

  /** Number of physical lines in {@code content} (a final line terminator opens no new line). */
  static int physicalLineCount(String content) {
    int n = content.length();
    int count = 0;
    for (int i = 0; i < n; i++) {
      char c = content.charAt(i);
      if (c == '\n' || (c == '\r' && (i + 1 >= n || content.charAt(i + 1) != '\n'))) {
        count++;
      }
    }
    char last = n == 0 ? '\n' : content.charAt(n - 1);
    if (last != '\n' && last != '\r') {
      count++;
    }
    return count;
  }

  private static void emit(List<LogicalLine> out, int line, String text) {
    int c = commentStart(text);
    String stripped = (c >= 0 ? text.substring(0, c) : text).strip();
    if (!stripped.isEmpty()) {
      out.add(new LogicalLine(line, stripped));
    }
  }

  /**
   * Index where a comment starts ({@code #} at the start or after whitespace, including the
   * whitespace before it), or -1.
   */
  static int commentStart(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '#' && (i == 0 || Character.isWhitespace(s.charAt(i - 1)))) {
        int j = i;
        while (j > 0 && Character.isWhitespace(s.charAt(j - 1))) {
          j--;
        }
        return j;
      }
    }
    return -1;
  }

  /**
   * Splits a logical line into the requirement part and the options part, like pip: the requirement
   * is everything before the first whitespace-separated token that starts with {@code -}. Returns
   * {@code [args, options]}, both trimmed (either may be empty).
   */
  static String[] splitArgsAndOptions(String line) {
    int i = 0;
    int n = line.length();
    while (i < n) {
      while (i < n && Character.isWhitespace(line.charAt(i))) {
        i++;
      }
      if (i < n && line.charAt(i) == '-') {
        return new String[] {line.substring(0, i).strip(), line.substring(i).strip()};
      }
      while (i < n && !Character.isWhitespace(line.charAt(i))) {
        i++;
      }
    }
    return new String[] {line.strip(), ""};
  }

  /**
   * Splits an options string like Python's {@code shlex.split} (POSIX mode): whitespace separates
   * words, single quotes are literal, double quotes allow {@code \"} and {@code \\}, a backslash
   * outside quotes escapes the next character.
   *
   * @throws IllegalArgumentException when a quotation is not closed (the message says so)
   */
  static List<String> shellSplit(String s) {
    List<String> words = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean inWord = false;
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c == '\'') {
        inWord = true;
        int close = s.indexOf('\'', i + 1);
        if (close < 0) {
          throw new IllegalArgumentException("no closing quotation");
        }
        cur.append(s, i + 1, close);
        i = close;
      } else if (c == '"') {
        inWord = true;
        int j = i + 1;
        for (; j < n && s.charAt(j) != '"'; j++) {
          char d = s.charAt(j);
          if (d == '\\' && j + 1 < n && "\\\"$`\n".indexOf(s.charAt(j + 1)) >= 0) {
            j++;
            d = s.charAt(j);
          }
          cur.append(d);
        }
        if (j >= n) {
          throw new IllegalArgumentException("no closing quotation");
        }
        i = j;
      } else if (c == '\\') {
        inWord = true;
        if (i + 1 < n) {
          cur.append(s.charAt(++i));
        }
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          words.add(cur.toString());
          cur.setLength(0);
          inWord = false;
        }
      } else {
        inWord = true;
        cur.append(c);
      }
    }
    if (inWord) {
      words.add(cur.toString());
    }
    return words;
  }
}
