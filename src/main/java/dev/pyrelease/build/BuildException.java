package dev.pyrelease.build;

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

  public BuildException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public BuildException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
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
