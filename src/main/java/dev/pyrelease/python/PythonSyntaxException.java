package dev.pyrelease.python;

/**
 * The one error the parsers in this package throw: the input (a version, specifier, marker,
 * requirement, wheel filename or METADATA text) is not valid. The message is meant for users and
 * says what is wrong with which text, so callers can put it into a condition as is.
 */
public class PythonSyntaxException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public PythonSyntaxException(String message) {
    super(message);
  }

  public PythonSyntaxException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Quotes user input for a message, shortened so that a huge input cannot flood a condition. */
  static String quote(String text) {
    if (text == null) {
      return "null";
    }
    String shown = text.length() > 200 ? text.substring(0, 200) + "..." : text;
    return "'" + shown + "'";
  }
}
