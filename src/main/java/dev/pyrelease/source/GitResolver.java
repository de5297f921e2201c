package dev.pyrelease.source;

import dev.pyrelease.python.FileTree;
import java.nio.file.Path;
import java.util.List;

/**
 * The git side of a release, one port for the operator and the CLI: a ref resolved to a commit, the
 * files at a commit (read without a checkout, so that validation and the build key come before any
 * Job exists), and a commit written into a directory (the build Job's source step, a local build
 * without {@code --source}). The JGit implementation is {@code source.jgit.JGitResolver}.
 *
 * <p>Every failure is a {@link SourceException}, whose kind tells the caller what to do: the
 * reconciler treats NOT_FOUND from {@link #resolve} as terminal (the spec names a ref that is not
 * there) and lets every other failure propagate, so that JOSDK retries with backoff; the CLI maps
 * kinds to exit codes. Implementations are thread-safe (the reconcile threads share one) and never
 * put credentials in a message.
 */
public interface GitResolver extends AutoCloseable {

  /**
   * The commit {@code ref} (branch, tag, full or abbreviated commit SHA) names on {@code url}.
   *
   * @param credentials {@link GitCredentials#none()} for a public repository
   * @throws SourceException NOT_FOUND when the repository has no such ref; UNREACHABLE,
   *     UNAUTHORIZED, INVALID, UNSUPPORTED otherwise
   */
  ResolvedRef resolve(String url, String ref, GitCredentials credentials);

  /**
   * The tree of a full 40-hex {@code commit}, for reading files (the requirements and their
   * includes) without a checkout; links are followed inside the tree only. Valid while the resolver
   * is open.
   *
   * @throws SourceException when the commit cannot be fetched (NOT_FOUND: not in the repository)
   */
  FileTree tree(String url, String commit, GitCredentials credentials);

  /**
   * Writes the files of {@code commit} into {@code target} (emptied first, created when missing),
   * without {@code .git}. Links are kept when they stay inside the tree; a link out of it fails the
   * checkout (INVALID), since following it would read the building machine's files.
   *
   * @return {@code target}
   */
  Path checkout(String url, String commit, Path target, GitCredentials credentials);

  /** Releases cached repositories; trees read before are no longer valid. */
  @Override
  default void close() {}

  /**
   * The commit a ref resolved to, and where it came from.
   *
   * @param refName the full name of the ref that matched ({@code refs/tags/v1}), null for a SHA
   * @param ambiguousWith other refs of that short name that lost to it (git's "refname is
   *     ambiguous")
   */
  record ResolvedRef(String commit, String refName, List<String> ambiguousWith) {}
}
