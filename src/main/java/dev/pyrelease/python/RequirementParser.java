package dev.pyrelease.python;

import java.util.LinkedHashSet;
import java.util.Set;

/** Scanner for {@link Requirement#parse}: name, [extras], (specifiers | @ url), ; marker. */
final class RequirementParser extends TextScanner {
  RequirementParser(String text) {
    super(text, "requirement");
  }

  Requirement parse() {
    skipSpace();
    String name = name("a distribution name");
    skipSpace();
    Set<String> extras = new LinkedHashSet<>();
    if (peek() == '[') {
      pos++;
      extras = extras();
      skipSpace();
    }
    String url = null;
    SpecifierSet specifier = SpecifierSet.empty();
    if (peek() == '@') {
      pos++;
      skipSpace();
      int start = pos;
      while (pos < text.length() && !Character.isWhitespace(text.charAt(pos))) {
        pos++;
      }
      url = text.substring(start, pos);
      if (url.isEmpty()) {
        throw fail("a URL must follow '@'");
      }
      boolean spaced = skipSpace();
      if (peek() == ';' && !spaced) {
        throw fail("a space is needed between the URL and ';'");
      }
    } else if (peek() == '(') {
      pos++;
      specifier = specifiers();
      if (peek() != ')') {
        throw fail("expected ')' but found " + rest());
      }
      pos++;
      skipSpace();
    } else {
      specifier = specifiers();
    }
    Marker marker = null;
    if (peek() == ';') {
      pos++;
      try {
        marker = Marker.parse(text.substring(pos));
      } catch (PythonSyntaxException e) {
        throw new PythonSyntaxException(
            "invalid requirement " + PythonSyntaxException.quote(text) + ": " + e.getMessage(), e);
      }
      pos = text.length();
    }
    if (pos < text.length()) {
      throw fail("unexpected " + rest());
    }
    return new Requirement(name, extras, specifier, url, marker);
  }

  private Set<String> extras() {
    Set<String> extras = new LinkedHashSet<>();
    skipSpace();
    if (peek() == ']') {
      pos++;
      return extras;
    }
    while (true) {
      skipSpace();
      extras.add(name("an extra name"));
      skipSpace();
      char c = peek();
      pos++;
      if (c == ']') {
        return extras;
      }
      if (c != ',') {
        pos--;
        throw fail("expected ',' or ']' in the extras but found " + rest());
      }
    }
  }

  /** The run of characters a version specifier can consist of, parsed as a set. */
  private SpecifierSet specifiers() {
    int start = pos;
    while (pos < text.length() && isSpecifierChar(text.charAt(pos))) {
      pos++;
    }
    String spec = text.substring(start, pos);
    // like packaging, accept one trailing comma ("foo>=1,") but no empty clause elsewhere
    String[] clauses = spec.split(",", -1);
    for (int i = 0; i < clauses.length - 1; i++) {
      if (clauses[i].isBlank()) {
        throw fail("empty version specifier before ','");
      }
    }
    try {
      return SpecifierSet.parse(spec);
    } catch (PythonSyntaxException e) {
      throw new PythonSyntaxException(
          "invalid requirement " + PythonSyntaxException.quote(text) + ": " + e.getMessage(), e);
    }
  }

  private static boolean isSpecifierChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || "<>=!~,.*+-_ \t".indexOf(c) >= 0;
  }

  private String name(String what) {
    int start = pos;
    while (pos < text.length() && isNameChar(text.charAt(pos))) {
      pos++;
    }
    String name = text.substring(start, pos);
    if (name.isEmpty()) {
      throw fail("expected " + what + " but found " + rest());
    }
    if (!PackageName.isValid(name)) {
      throw fail(
          PythonSyntaxException.quote(name)
              + " is not a valid name (it must start and end with a"
              + " letter or digit)");
    }
    return name;
  }

  private static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '.'
        || c == '-'
        || c == '_';
  }
}
