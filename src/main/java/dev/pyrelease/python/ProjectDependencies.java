package dev.pyrelease.python;

import java.util.ArrayList;
import java.util.List;

/**
 * A package app's own declared dependencies: {@code [project] dependencies} of its {@code
 * pyproject.toml} (PEP 621). Only what that needs of TOML is read: the {@code [project]} table's
 * {@code name}, {@code version}, {@code dependencies} (an array of strings, over several lines,
 * with comments) and {@code dynamic}.
 *
 * @param name the project's name, or null
 * @param version its version, or null
 * @param requires its dependencies (empty when none or not known)
 * @param unknownBecause why its dependencies cannot be known from the file (dynamic, a setup.py
 *     app, a file that cannot be read), or null when {@code requires} is all of them
 */
public record ProjectDependencies(
    String name, String version, List<Requirement> requires, String unknownBecause) {

  public ProjectDependencies {
    requires = List.copyOf(requires);
  }

  /** How messages name the app, e.g. {@code the app shop 1.4.2 (pyproject.toml)}. */
  public String who(String file) {
    return "the app"
        + (name == null ? "" : " " + name)
        + (version == null ? "" : " " + version)
        + " ("
        + file
        + " [project] dependencies)";
  }

  /** A package app whose dependencies cannot be read from a file. */
  public static ProjectDependencies unknown(String why) {
    return new ProjectDependencies(null, null, List.of(), why);
  }

  /**
   * Reads {@code pyproject.toml}'s text.
   *
   * @throws PythonSyntaxException when a dependency is not a PEP 508 requirement, or the array is
   *     not closed
   */
  public static ProjectDependencies parse(String text) {
    String name = null;
    String version = null;
    List<String> deps = null;
    boolean dynamicDeps = false;
    boolean inProject = false;
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = stripComment(lines[i]).trim();
      if (line.startsWith("[")) {
        inProject = line.replace(" ", "").equals("[project]");
        continue;
      }
      if (!inProject || !line.contains("=")) {
        continue;
      }
      String key = line.substring(0, line.indexOf('=')).trim();
      String value = line.substring(line.indexOf('=') + 1).trim();
      switch (key) {
        case "name" -> name = firstString(value);
        case "version" -> version = firstString(value);
        case "dependencies", "dynamic" -> {
          StringBuilder array = new StringBuilder(value);
          while (!closed(array.toString())) {
            if (++i >= lines.length) {
              throw new PythonSyntaxException(
                  "pyproject.toml: the [project] " + key + " array is not closed");
            }
            array.append('\n').append(stripComment(lines[i]));
          }
          List<String> strings = strings(array.toString());
          if (key.equals("dependencies")) {
            deps = strings;
          } else {
            dynamicDeps = strings.contains("dependencies");
          }
        }
        default -> {}
      }
    }
    if (dynamicDeps) {
      return new ProjectDependencies(
          name,
          version,
          List.of(),
          "pyproject.toml declares its dependencies dynamic (computed by its build backend)");
    }
    List<Requirement> requires = new ArrayList<>();
    for (String d : deps == null ? List.<String>of() : deps) {
      try {
        requires.add(Requirement.parse(d));
      } catch (PythonSyntaxException e) {
        throw new PythonSyntaxException(
            "pyproject.toml: [project] dependencies: '" + d + "': " + e.getMessage());
      }
    }
    return new ProjectDependencies(name, version, requires, null);
  }

  /** The line without a {@code #} comment outside strings. */
  static String stripComment(String line) {
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == '\\' && quote == '"') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '#') {
        return line.substring(0, i);
      }
    }
    return line;
  }

  /** Whether an array value's brackets are balanced (outside strings). */
  private static boolean closed(String value) {
    int depth = 0;
    char quote = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (quote != 0) {
        if (c == '\\' && quote == '"') {
          i++;
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '[') {
        depth++;
      } else if (c == ']') {
        depth--;
      }
    }
    return depth <= 0;
  }

  private static String firstString(String value) {
    List<String> s = strings(value);
    return s.isEmpty() ? null : s.get(0);
  }

  /** The basic ("...") and literal ('...') strings in a value, in order. */
  static List<String> strings(String value) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < value.length()) {
      char c = value.charAt(i);
      if (c != '"' && c != '\'') {
        i++;
        continue;
      }
      StringBuilder b = new StringBuilder();
      int j = i + 1;
      for (; j < value.length() && value.charAt(j) != c; j++) {
        char d = value.charAt(j);
        if (c == '"' && d == '\\' && j + 1 < value.length()) {
          char e = value.charAt(++j);
          b.append(
              switch (e) {
                case 'n' -> '\n';
                case 't' -> '\t';
                default -> e;
              });
        } else {
          b.append(d);
        }
      }
      out.add(b.toString());
      i = j + 1;
    }
    return out;
  }
}
