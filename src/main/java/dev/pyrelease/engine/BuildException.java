package dev.pyrelease.engine;

import java.util.List;

/**
 * A build that cannot go on. {@link Kind#INPUT}: the release is wrong (exit 1, nothing pushed);
 * {@link Kind#ENVIRONMENT}: something outside (index, registry, runner) failed (exit 2). The
 * message is one line naming what failed and why, without credentials.
 */
public final class BuildException extends RuntimeException {
  /** Whose fault it is. */
  public enum Kind {
    INPUT,
    ENVIRONMENT
  }

  private final Kind kind;
  private final transient List<String> closureProblems;

  public BuildException(Kind kind, String message) {
    this(kind, message, (Throwable) null);
  }

  public BuildException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.closureProblems = List.of();
  }

  private BuildException(String message, List<String> closureProblems) {
    super(message);
    this.kind = Kind.INPUT;
    this.closureProblems = List.copyOf(closureProblems);
  }

  /** The closure check failed: exit 1, nothing pushed. */
  public static BuildException closure(List<String> problems) {
    return new BuildException(
        "closure check failed: "
            + problems.size()
            + " problem(s); nothing was pushed. To fix: "
            + dev.pyrelease.python.ClosureCheck.HOW_TO_FIX,
        problems);
  }

  /** The closure problems when the closure check failed, else empty. */
  public List<String> closureProblems() {
    return closureProblems;
  }

  public static BuildException input(String message) {
    return new BuildException(Kind.INPUT, message);
  }

  public static BuildException environment(String message) {
    return new BuildException(Kind.ENVIRONMENT, message);
  }

  public static BuildException environment(String message, Throwable cause) {
    return new BuildException(Kind.ENVIRONMENT, message, cause);
  }

  public Kind kind() {
    return kind;
  }
}
