package dev.pyrelease.source;

import dev.pyrelease.api.v1alpha1.GitSource;
import dev.pyrelease.python.FileTree;

/**
 * Resolves a release's git ref to a commit and reads files at a commit, so that validation and the
 * build key are computed before any Job exists. The operator calls it from its reconcile threads;
 * implementations must be thread-safe and must never log credentials.
 *
 * <p>Errors come in two kinds: {@link UnknownRefException} and {@link MissingFileException} are
 * terminal (the spec names something that is not there; retrying will not help), every other {@link
 * GitException} is transient (network, server, auth hiccup) and the caller retries.
 */
public interface GitResolver {

  /**
   * Resolves {@code git.getRef()} (branch, tag, or full/abbreviated commit SHA) on {@code
   * git.getUrl()}.
   *
   * @param credentials from the {@code secretRef} Secret, or {@link Credentials#NONE}
   * @return the full 40-hex commit SHA
   * @throws UnknownRefException when the repository has no such ref
   * @throws GitException on any other failure (transient)
   */
  String resolve(GitSource git, Credentials credentials) throws GitException;

  /**
   * The tree of a commit, for reading files (the requirements and their includes) without a
   * checkout; links are followed inside the tree only.
   *
   * @throws GitException when the commit cannot be fetched (transient)
   */
  FileTree tree(String url, String commit, Credentials credentials) throws GitException;

  /** Git credentials from a Secret's {@code username}/{@code password} keys. */
  record Credentials(String username, String password) {
    public static final Credentials NONE = new Credentials(null, null);

    public boolean present() {
      return username != null || password != null;
    }

    @Override
    public String toString() {
      return present() ? "Credentials[" + username + ", ***]" : "Credentials[none]";
    }
  }

  /** A git failure; transient unless it is one of the subclasses. */
  class GitException extends Exception {
    public GitException(String message) {
      super(message);
    }

    public GitException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The ref does not exist in the repository: terminal until the spec changes. */
  class UnknownRefException extends GitException {
    public UnknownRefException(String message) {
      super(message);
    }
  }

  /** The file does not exist at the commit: terminal until the spec changes. */
  class MissingFileException extends GitException {
    public MissingFileException(String message) {
      super(message);
    }
  }
}
