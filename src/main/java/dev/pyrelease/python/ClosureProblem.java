package dev.pyrelease.python;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One reason why a set of pins would not work when installed with {@code --no-deps}.
 *
 * @param kind what is wrong
 * @param distribution the normalised name of the distribution the problem is about: the missing or
 *     conflicting dependency for MISSING and CONFLICT, the pinned distribution itself for
 *     REQUIRES_PYTHON and NO_METADATA
 * @param message a complete sentence naming who requires what, under which marker, and what is
 *     pinned where (and, once looked up, what the index has)
 * @param requirement the requirement that is not met (MISSING, CONFLICT), else null
 * @param ignoredBecause the reason of the {@code spec.requirements.closure.ignore} entry that lets
 *     the release go without {@code distribution}, or null when the problem counts
 */
public record ClosureProblem(
    Kind kind,
    String distribution,
    String message,
    Requirement requirement,
    String ignoredBecause) {

  /** Where the allowances are set, as messages name it. */
  public static final String IGNORE_FIELD = "spec.requirements.closure.ignore";

  /** The kinds of problem, see {@link ClosureCheck}. */
  public enum Kind {
    /** A required distribution is not pinned at all. */
    MISSING,
    /** A required distribution is pinned at a version the requirement excludes. */
    CONFLICT,
    /** The pinned distribution does not support the target interpreter. */
    REQUIRES_PYTHON,
    /** No METADATA was given for a pin, so its dependencies could not be checked. */
    NO_METADATA,
    /**
     * An installed distribution's shared object needs a library that neither the base image nor the
     * venv has: importing it fails.
     */
    SHARED_LIBRARY
  }

  public ClosureProblem {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(distribution, "distribution");
    Objects.requireNonNull(message, "message");
  }

  public ClosureProblem(Kind kind, String distribution, String message) {
    this(kind, distribution, message, null, null);
  }

  /** Whether a {@code closure.ignore} entry may let the release go without it. */
  public boolean ignorable() {
    return kind == Kind.MISSING || kind == Kind.CONFLICT;
  }

  public boolean ignored() {
    return ignoredBecause != null;
  }

  /** The same problem with {@code sentence} added to its message (e.g. what the index has). */
  public ClosureProblem withNote(String sentence) {
    return new ClosureProblem(
        kind, distribution, message + "; " + sentence, requirement, ignoredBecause);
  }

  /** The message, and when it is ignored, that it is and why. */
  public String describe() {
    return ignored()
        ? message + " \u2014 ignored (" + IGNORE_FIELD + ": " + ignoredBecause + ")"
        : message;
  }

  /**
   * The problems with those about an ignored distribution marked as ignored (only missing and
   * conflicting requirements can be).
   *
   * @param ignore reasons by normalised distribution name
   */
  public static List<ClosureProblem> applyIgnores(
      List<ClosureProblem> problems, Map<String, String> ignore) {
    if (ignore.isEmpty()) {
      return problems;
    }
    List<ClosureProblem> out = new ArrayList<>(problems.size());
    for (ClosureProblem p : problems) {
      String reason = p.ignorable() ? ignore.get(p.distribution()) : null;
      out.add(
          reason == null
              ? p
              : new ClosureProblem(p.kind, p.distribution, p.message, p.requirement, reason));
    }
    return List.copyOf(out);
  }

  /** The problems that fail the check: those not ignored. */
  public static List<ClosureProblem> failing(List<ClosureProblem> problems) {
    return problems.stream().filter(p -> !p.ignored()).toList();
  }

  @Override
  public String toString() {
    return kind + ": " + describe();
  }
}
