package dev.pyrelease.python;

import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One exactly pinned distribution of a release ({@code name[extras]==version}).
 *
 * @param name the name as written in the requirements
 * @param version the pinned version
 * @param extras the extras requested on the pin, as written
 * @param origin where the pin was written, e.g. {@code requirements/prod.txt:12}; used in messages
 */
public record Pin(String name, Version version, Set<String> extras, String origin) {
  public Pin {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    extras = extras == null ? Set.of() : Collections.unmodifiableSet(new TreeSet<>(extras));
    origin = origin == null ? "" : origin;
  }

  public String normalizedName() {
    return PackageName.normalize(name);
  }

  /** {@code name==version (origin)} */
  String describe() {
    return PackageName.normalize(name)
        + "=="
        + version
        + (origin.isEmpty() ? "" : " (" + origin + ")");
  }
}
