package dev.pyrelease.python;

import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One PEP 508 dependency specification, e.g. {@code kombu[redis]>=5.3,<6; python_version >= "3.8"}
 * or {@code foo @ https://host/foo.whl}.
 *
 * @param name the distribution name as written
 * @param extras requested extras as written, sorted
 * @param specifier version clauses, empty when there are none
 * @param url direct reference after {@code @}, or null
 * @param marker the environment marker after {@code ;}, or null
 */
public record Requirement(
    String name, Set<String> extras, SpecifierSet specifier, String url, Marker marker) {

  public Requirement {
    Objects.requireNonNull(name, "name");
    extras = extras == null ? Set.of() : Collections.unmodifiableSet(new TreeSet<>(extras));
    specifier = specifier == null ? SpecifierSet.empty() : specifier;
  }

  /**
   * Parses one PEP 508 string.
   *
   * @throws PythonSyntaxException when {@code text} is not a valid requirement
   */
  public static Requirement parse(String text) {
    if (text == null) {
      throw new PythonSyntaxException("invalid requirement: none given");
    }
    return new RequirementParser(text).parse();
  }

  /** The PEP 503 normalised name, the key for comparing distributions. */
  public String normalizedName() {
    return PackageName.normalize(name);
  }

  /** Whether the marker (if any) holds for {@code target} with {@code requestedExtras}. */
  public boolean appliesTo(TargetPython target, Set<String> requestedExtras) {
    return marker == null || marker.evaluate(target, requestedExtras);
  }

  /** The requirement without its marker, as used in messages: {@code kombu[redis]>=5.3}. */
  public String withoutMarker() {
    StringBuilder out = new StringBuilder(name);
    if (!extras.isEmpty()) {
      out.append('[').append(String.join(",", extras)).append(']');
    }
    if (url != null) {
      out.append(" @ ").append(url);
    } else {
      out.append(specifier);
    }
    return out.toString();
  }

  @Override
  public String toString() {
    if (marker == null) {
      return withoutMarker();
    }
    // after a URL the ';' needs a space before it, or it would be read as part of the URL
    return withoutMarker() + (url != null ? " ; " : "; ") + marker;
  }
}
