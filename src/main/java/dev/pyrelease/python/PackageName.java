package dev.pyrelease.python;

import java.util.Locale;
import java.util.regex.Pattern;

/** Distribution names: PEP 508 validity and PEP 503 normalisation (the form used as a key). */
public final class PackageName {
  // PEP 508: starts and ends with a letter or digit; '.', '-' and '_' allowed inside.
  private static final Pattern VALID =
      Pattern.compile("[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9]");
  private static final Pattern SEPARATORS = Pattern.compile("[-_.]+");

  private PackageName() {}

  /** PEP 503: lower case, every run of '-', '_' and '.' becomes one '-'. */
  public static String normalize(String name) {
    if (name == null) {
      throw new PythonSyntaxException("package name is missing");
    }
    return SEPARATORS.matcher(name.toLowerCase(Locale.ROOT)).replaceAll("-");
  }

  /** Whether {@code name} is a valid PEP 508 distribution name. */
  public static boolean isValid(String name) {
    return name != null && VALID.matcher(name).matches();
  }
}
