package dev.pyrelease.python;

/**
 * The cursor both hand-written parsers (requirements, markers) walk their input with, and the one
 * way they report an error: {@code invalid <what> '<input>': <why>}.
 */
abstract class TextScanner {
  final String text;
  int pos;
  private final String what;

  TextScanner(String text, String what) {
    this.text = text;
    this.what = what;
  }

  /** Skips white space; true when there was some. */
  final boolean skipSpace() {
    int start = pos;
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
    return pos > start;
  }

  /** The next character, or NUL at the end. */
  final char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  /** What follows the cursor, quoted and cut short, for messages. */
  final String rest() {
    return pos >= text.length()
        ? "the end"
        : PythonSyntaxException.quote(text.substring(pos, Math.min(text.length(), pos + 20)));
  }

  final PythonSyntaxException fail(String why) {
    return new PythonSyntaxException(
        "invalid " + what + " " + PythonSyntaxException.quote(text) + ": " + why);
  }
}
