package dev.pyrelease.source;

/**
 * A git source could not be read: the one exception of {@link GitResolver}. The message is safe to
 * show in a status condition: URLs are masked ({@link GitUrls#mask}) and credentials scrubbed.
 *
 * <p>Unchecked, as the CLI has always used it: the callers that care about a kind (the reconciler's
 * unknown ref, the CLI's exit codes) catch it where they call the port, and for everyone else
 * propagating it is the right thing (JOSDK retries a thrown reconcile with backoff).
 */
public final class SourceException extends RuntimeException {
  /** What went wrong; decides the condition reason and whether a retry can help. */
  public enum Kind {
    /** The ref (branch, tag, SHA) does not exist in the repository. */
    NOT_FOUND,
    /** The commit exists but has no file (or directory) at the path. */
    PATH_NOT_FOUND,
    /** The repository cannot be reached (DNS, connection, no repository at the URL, timeout). */
    UNREACHABLE,
    /** The server refused the credentials, or credentials are needed and none were given. */
    UNAUTHORIZED,
    /**
     * The ssh server's host key is not one the given known_hosts has for it (unknown, changed or
     * revoked): refused, never accepted silently.
     */
    HOST_KEY_REJECTED,
    /** The request itself is wrong: a path with {@code ..}, an abbreviated SHA, a bad URL. */
    INVALID,
    /** The URL scheme or feature is not supported by this build (e.g. ssh without a transport). */
    UNSUPPORTED,
    /** Local failure: the cache directory or the target could not be written. */
    IO
  }

  private final Kind kind;

  public SourceException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public SourceException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  /**
   * Whether retrying later may succeed (network, server, local I/O), as opposed to a user error.
   */
  public boolean transientFailure() {
    return kind == Kind.UNREACHABLE || kind == Kind.IO;
  }
}
