package dev.pyrelease.index;

import java.util.Locale;
import java.util.regex.Pattern;

/** PEP 503 name normalisation and project-name extraction from distribution filenames. */
final class Names {
  private static final Pattern SEPARATORS = Pattern.compile("[-_.]+");

  private Names() {}

  /** PEP 503: lowercase, runs of {@code -_.} become a single {@code -}. */
  static String normalize(String name) {
    return SEPARATORS.matcher(name.trim()).replaceAll("-").toLowerCase(Locale.ROOT);
  }

  /** True for the archive kinds an index may list: wheels and sdists. */
  static boolean isDistribution(String filename) {
    String f = filename.toLowerCase(Locale.ROOT);
    return f.endsWith(".whl")
        || f.endsWith(".tar.gz")
        || f.endsWith(".tgz")
        || f.endsWith(".zip")
        || f.endsWith(".tar.bz2")
        || f.endsWith(".tar");
  }

  static boolean isWheel(String filename) {
    return filename.toLowerCase(Locale.ROOT).endsWith(".whl");
  }

  /** The filename without its archive extension ({@code .whl}, {@code .tar.gz}, ...). */
  static String stem(String filename) {
    String f = filename.toLowerCase(Locale.ROOT);
    for (String ext : new String[] {".tar.gz", ".tar.bz2", ".tgz", ".zip", ".tar", ".whl"}) {
      if (f.endsWith(ext)) {
        return filename.substring(0, filename.length() - ext.length());
      }
    }
    return filename;
  }

  /**
   * Normalised project name of a wheel ({@code name-version-...whl}: the first dash-separated
   * component), or {@code null} when the filename is not a wheel.
   */
  static String wheelProject(String filename) {
    if (!isWheel(filename)) {
      return null;
    }
    String stem = stem(filename);
    int dash = stem.indexOf('-');
    return dash <= 0 ? null : normalize(stem.substring(0, dash));
  }

  /**
   * Whether an sdist filename ({@code name-version.tar.gz}) belongs to the normalised project
   * {@code project}. Legacy sdist names may contain dashes, so the check is "the normalised stem
   * starts with {@code project-} followed by a version-looking rest", as pip does.
   */
  static boolean sdistBelongsTo(String filename, String project) {
    if (isWheel(filename)) {
      return false;
    }
    String stem = normalize(stem(filename));
    if (!stem.startsWith(project + "-") || stem.length() == project.length() + 1) {
      return false;
    }
    char c = stem.charAt(project.length() + 1);
    return Character.isDigit(c) || c == 'v';
  }

  /**
   * Best-effort normalised project name of an sdist: everything before the last dash that is
   * followed by a digit. Used only to group find-links files; lookups use {@link #sdistBelongsTo}.
   */
  static String sdistProjectGuess(String filename) {
    String stem = stem(filename);
    for (int i = stem.length() - 2; i > 0; i--) {
      if (stem.charAt(i) == '-' && Character.isDigit(stem.charAt(i + 1))) {
        return normalize(stem.substring(0, i));
      }
    }
    return null;
  }
}
