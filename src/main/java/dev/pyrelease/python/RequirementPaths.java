package dev.pyrelease.python;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Pattern;

/**
 * The path rules of requirements files: which names are URLs or absolute paths (refused, builds are
 * hermetic and confined to the source tree) and the lexical normalisation that keeps every name
 * inside the tree before the {@link FileTree} is asked.
 */
final class RequirementPaths {

  private static final Pattern URL_SCHEME = Pattern.compile("(?i)[a-z][a-z0-9+.-]*://.*|file:.*");
  private static final Pattern WINDOWS_ABSOLUTE = Pattern.compile("[A-Za-z]:[\\\\/].*");

  private RequirementPaths() {}

  /** Whether {@code s} starts with a URL scheme ({@code scheme://} or {@code file:}), as is. */
  static boolean hasUrlScheme(String s) {
    return URL_SCHEME.matcher(s).matches();
  }

  /** Whether a file name is a URL, white space around it ignored. */
  static boolean isUrl(String s) {
    return hasUrlScheme(s.strip());
  }

  /** Whether a file name is absolute: POSIX, Windows, UNC or home-relative. */
  static boolean isAbsolute(String s) {
    return s.startsWith("/")
        || s.startsWith("\\")
        || s.startsWith("~")
        || WINDOWS_ABSOLUTE.matcher(s).matches();
  }

  /**
   * Lexically normalises a relative {@code /}-separated path ({@code ""} for the root itself); null
   * when it climbs above the root or contains characters no file name may hold.
   */
  static String normalize(String path) {
    if (path.indexOf('\0') >= 0) {
      return null;
    }
    Deque<String> parts = new ArrayDeque<>();
    for (String p : path.split("/+")) {
      if (p.isEmpty() || p.equals(".")) {
        continue;
      }
      if (p.equals("..")) {
        if (parts.isEmpty()) {
          return null;
        }
        parts.removeLast();
      } else {
        parts.addLast(p);
      }
    }
    String joined = String.join("/", parts);
    try {
      Path.of(joined);
    } catch (InvalidPathException e) {
      return null;
    }
    return joined;
  }
}
