package dev.pyrelease.python;

import java.util.Objects;

/**
 * One reason why a set of pins would not work when installed with {@code --no-deps}.
 *
 * @param kind what is wrong
 * @param distribution the normalised name of the distribution the problem is about: the missing or
 *     conflicting dependency for MISSING and CONFLICT, the pinned distribution itself for
 *     REQUIRES_PYTHON and NO_METADATA
 * @param message a complete sentence naming who requires what and what is pinned where
 */
public record ClosureProblem(Kind kind, String distribution, String message) {

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

  @Override
  public String toString() {
    return kind + ": " + message;
  }
}
