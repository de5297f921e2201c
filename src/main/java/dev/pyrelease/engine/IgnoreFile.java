package dev.pyrelease.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code .dockerignore} at the root of a source: files of the checkout that never go into the
 * image (tests, docs, a local {@code .env}). Teams moving from a Dockerfile have one; its rules are
 * Docker's: one pattern a line relative to the root, {@code #} comments, {@code *} and {@code ?}
 * within a path component, {@code **} across components, {@code [...]} classes, {@code !} to
 * include again; a pattern that matches a directory excludes what is in it; the last pattern that
 * matches a path decides. Pure, but for reading the file.
 */
public final class IgnoreFile {
  /** The file's name, at the root of the source. */
  public static final String NAME = ".dockerignore";

  private static final IgnoreFile NONE = new IgnoreFile(List.of());

  private record Rule(Pattern pattern, boolean include) {}

  private final List<Rule> rules;

  private IgnoreFile(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  /**
   * The rules of {@code root/.dockerignore}; none when there is no such file.
   *
   * @throws BuildException (input) naming the line of a pattern that is not one
   */
  public static IgnoreFile read(Path root) {
    Path file = root.resolve(NAME);
    if (!Files.isRegularFile(file)) {
      return NONE;
    }
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8), NAME);
    } catch (IOException e) {
      throw BuildException.input("source: cannot read " + file + ": " + e.getMessage());
    }
  }

  /** The rules of a {@code .dockerignore} text ({@code name} for messages). */
  public static IgnoreFile parse(String text, String name) {
    List<Rule> rules = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    for (int n = 0; n < lines.length; n++) {
      String line = lines[n].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      boolean include = line.startsWith("!");
      String glob = clean(include ? line.substring(1).strip() : line);
      if (glob.isEmpty()) {
        continue; // "/" or "." : the whole source, which Docker ignores too
      }
      try {
        rules.add(new Rule(Pattern.compile(regex(glob)), include));
      } catch (IllegalArgumentException e) {
        throw BuildException.input(
            "source: "
                + name
                + ":"
                + (n + 1)
                + ": '"
                + line
                + "' is not a pattern ("
                + e.getMessage()
                + "): fix or remove the line");
      }
    }
    return rules.isEmpty() ? NONE : new IgnoreFile(rules);
  }

  /** Whether a file (or directory) of the source, by its {@code /}-separated path, is excluded. */
  public boolean excludes(String relative) {
    boolean excluded = false;
    for (Rule r : rules) {
      if (matchesItOrAParent(r.pattern(), relative)) {
        excluded = !r.include();
      }
    }
    return excluded;
  }

  /** Whether there are no rules. */
  public boolean isEmpty() {
    return rules.isEmpty();
  }

  private static boolean matchesItOrAParent(Pattern p, String path) {
    if (p.matcher(path).matches()) {
      return true;
    }
    for (int i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) {
      if (p.matcher(path.substring(0, i)).matches()) {
        return true;
      }
    }
    return false;
  }

  /** As Docker cleans a pattern: no leading {@code /} or {@code ./}, no trailing {@code /}. */
  static String clean(String glob) {
    List<String> parts = new ArrayList<>();
    for (String part : glob.split("/+")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (!parts.isEmpty()) {
          parts.remove(parts.size() - 1);
        }
        continue;
      }
      parts.add(part);
    }
    return String.join("/", parts);
  }

  /** The regular expression of a glob, as Docker's pattern matcher reads it. */
  static String regex(String glob) {
    StringBuilder re = new StringBuilder("^");
    int n = glob.length();
    for (int i = 0; i < n; i++) {
      char c = glob.charAt(i);
      switch (c) {
        case '*' -> {
          if (i + 1 < n && glob.charAt(i + 1) == '*') {
            i++;
            if (i + 1 < n && glob.charAt(i + 1) == '/') {
              i++;
              re.append("(?:.*/)?"); // "**/": any number of directories, none included
            } else {
              re.append(".*");
            }
          } else {
            re.append("[^/]*");
          }
        }
        case '?' -> re.append("[^/]");
        case '[' -> {
          int end = glob.indexOf(']', i + 2);
          if (end < 0) {
            throw new PatternSyntaxException("unclosed [", glob, i);
          }
          String set = glob.substring(i + 1, end);
          if (set.startsWith("!") || set.startsWith("^")) {
            set = "^" + set.substring(1);
          }
          re.append('[').append(set.replace("[", "\\[")).append(']');
          i = end;
        }
        case '\\' -> {
          if (i + 1 >= n) {
            throw new PatternSyntaxException("a trailing \\", glob, i);
          }
          re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
        }
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return re.append('$').toString();
  }
}
