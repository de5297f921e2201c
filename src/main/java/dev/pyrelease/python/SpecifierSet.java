package dev.pyrelease.python;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A comma-separated set of PEP 440 clauses, all of which must match. Order is kept as written so
 * that messages show the requirement the way its author (or METADATA) spelled it.
 */
public final class SpecifierSet {
  private static final SpecifierSet EMPTY = new SpecifierSet(List.of());

  private final List<Specifier> specifiers;

  private SpecifierSet(List<Specifier> specifiers) {
    this.specifiers = List.copyOf(specifiers);
  }

  /** The set that matches every final release. */
  public static SpecifierSet empty() {
    return EMPTY;
  }

  /**
   * Parses {@code ">=1.0, !=1.3.*, <2"}. Empty clauses are skipped, as the packaging library does,
   * because such strings occur in published METADATA.
   *
   * @throws PythonSyntaxException when a clause is not valid
   */
  public static SpecifierSet parse(String text) {
    if (text == null) {
      throw new PythonSyntaxException("invalid specifier: none given");
    }
    List<Specifier> specifiers = new ArrayList<>();
    for (String clause : text.split(",", -1)) {
      if (!clause.isBlank()) {
        specifiers.add(Specifier.parse(clause));
      }
    }
    return specifiers.isEmpty() ? EMPTY : new SpecifierSet(specifiers);
  }

  public List<Specifier> specifiers() {
    return specifiers;
  }

  public boolean isEmpty() {
    return specifiers.isEmpty();
  }

  /**
   * PEP 440 default for a candidate version: pre-releases match only when a clause itself names a
   * pre-release (e.g. {@code >=2.0b1}). This is packaging 22-24's {@code contains()}; packaging 25+
   * also accepts a lone pre-release there, because PEP 440 admits pre-releases when no final
   * release matches. For an installed or explicitly pinned version use {@link #contains(Version,
   * boolean)} with {@code true}, as the closure check does.
   */
  public boolean contains(Version v) {
    boolean allow = specifiers.stream().anyMatch(Specifier::impliesPrereleases);
    return contains(v, allow);
  }

  /**
   * With {@code allowPrereleases}, a pre-release matches whenever every clause matches it; this is
   * what pip does for a version the user pinned explicitly.
   */
  public boolean contains(Version v, boolean allowPrereleases) {
    if (v.isPrerelease() && !allowPrereleases) {
      return false;
    }
    for (Specifier s : specifiers) {
      if (!s.contains(v)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SpecifierSet s && s.specifiers.equals(specifiers);
  }

  @Override
  public int hashCode() {
    return specifiers.hashCode();
  }

  /** The clauses joined by ',' in their written order; empty string for the empty set. */
  @Override
  public String toString() {
    return specifiers.stream().map(Specifier::toString).collect(Collectors.joining(","));
  }
}
