package dev.pyrelease.python;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The fields of a distribution's core metadata ({@code *.dist-info/METADATA} or {@code PKG-INFO})
 * that the closure check needs.
 *
 * @param name the distribution name as written
 * @param version its version
 * @param requiresDist every Requires-Dist, in file order
 * @param requiresPython Requires-Python, empty when absent
 * @param providesExtra the extras it declares, normalised
 */
public record CoreMetadata(
    String name,
    Version version,
    List<Requirement> requiresDist,
    SpecifierSet requiresPython,
    Set<String> providesExtra) {

  public CoreMetadata {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    requiresDist = List.copyOf(requiresDist);
    requiresPython = requiresPython == null ? SpecifierSet.empty() : requiresPython;
    providesExtra = Collections.unmodifiableSet(new LinkedHashSet<>(providesExtra));
  }

  /** The PEP 503 normalised name. */
  public String normalizedName() {
    return PackageName.normalize(name);
  }

  /**
   * Parses the RFC 822 style header block; reading stops at the first empty line, where the
   * description body starts. Headers other than Name, Version, Requires-Dist, Requires-Python and
   * Provides-Extra are ignored; folded (indented) lines continue the previous header.
   *
   * @throws PythonSyntaxException when a header line is malformed, Name or Version is missing, or a
   *     value does not parse
   */
  public static CoreMetadata parse(String text) {
    if (text == null) {
      throw new PythonSyntaxException("invalid METADATA: no text given");
    }
    List<String[]> headers = headers(text);
    String name = null;
    String rawVersion = null;
    List<String> requires = new ArrayList<>();
    String rawRequiresPython = null;
    Set<String> extras = new LinkedHashSet<>();
    for (String[] header : headers) {
      String value = header[1];
      switch (header[0].toLowerCase(Locale.ROOT)) {
        case "name" -> name = name == null ? value : name;
        case "version" -> rawVersion = rawVersion == null ? value : rawVersion;
        case "requires-dist" -> requires.add(value);
        case "requires-python" -> rawRequiresPython = value;
        case "provides-extra" -> extras.add(PackageName.normalize(value));
        default -> {
          // other headers (Summary, Classifier, ...) do not matter here
        }
      }
    }
    if (name == null || !PackageName.isValid(name)) {
      throw new PythonSyntaxException(
          name == null
              ? "invalid METADATA: no Name header"
              : "invalid METADATA: Name " + PythonSyntaxException.quote(name) + " is not valid");
    }
    String where = "invalid METADATA of " + name + ": ";
    if (rawVersion == null) {
      throw new PythonSyntaxException(where + "no Version header");
    }
    String rv = rawVersion;
    Version version = wrap(where, () -> Version.parse(rv));
    List<Requirement> requiresDist = new ArrayList<>();
    for (String r : requires) {
      requiresDist.add(wrap(where + "Requires-Dist: ", () -> Requirement.parse(r)));
    }
    String rp = rawRequiresPython;
    SpecifierSet requiresPython =
        rp == null
            ? SpecifierSet.empty()
            : wrap(where + "Requires-Python: ", () -> SpecifierSet.parse(rp));
    return new CoreMetadata(name, version, requiresDist, requiresPython, extras);
  }

  private interface Parse<T> {
    T run();
  }

  private static <T> T wrap(String prefix, Parse<T> parse) {
    try {
      return parse.run();
    } catch (PythonSyntaxException e) {
      throw new PythonSyntaxException(prefix + e.getMessage(), e);
    }
  }

  /** The header block as (name, unfolded value) pairs, in order. */
  private static List<String[]> headers(String text) {
    List<String[]> headers = new ArrayList<>();
    String[] lines = text.split("\r\n|\r|\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (i == 0 && line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      if (line.isEmpty()) {
        break; // the body (long description) follows
      }
      if (line.charAt(0) == ' ' || line.charAt(0) == '\t') {
        if (headers.isEmpty()) {
          throw new PythonSyntaxException(
              "invalid METADATA line " + (i + 1) + ": an indented line must continue a header");
        }
        String[] last = headers.get(headers.size() - 1);
        String more = line.strip();
        last[1] = last[1].isEmpty() ? more : more.isEmpty() ? last[1] : last[1] + " " + more;
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0 || !isHeaderName(line.substring(0, colon))) {
        throw new PythonSyntaxException(
            "invalid METADATA line "
                + (i + 1)
                + ": expected 'Header: value' but found "
                + PythonSyntaxException.quote(line));
      }
      headers.add(new String[] {line.substring(0, colon), line.substring(colon + 1).strip()});
    }
    return headers;
  }

  /** RFC 822 field names: printable ASCII without space or colon. */
  private static boolean isHeaderName(String s) {
    return s.chars().allMatch(c -> c > 32 && c < 127 && c != ':');
  }
}
