package dev.pyrelease.cli;

import dev.pyrelease.api.v1alpha1.GitSource;
import dev.pyrelease.engine.Workspace;
import dev.pyrelease.source.GitCredentials;
import dev.pyrelease.source.GitUrls;
import dev.pyrelease.source.JGitResolver;
import dev.pyrelease.source.SourceException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * No {@code --source}: the release's {@code spec.source.git.ref} resolved to a commit and fetched
 * into a temporary directory, as the operator does (the build Job checks the commit out; the
 * reconciler reads the requirement files at it). Closing it deletes the directory.
 *
 * @param commit the resolved commit
 * @param root the checkout (or the requirement files at their repository paths): the source
 */
record ReleaseCheckout(String commit, Path root, Path temp) implements AutoCloseable {

  /** What to fetch: the whole tree, or only the requirement files (and their includes). */
  enum Scope {
    TREE,
    REQUIREMENTS
  }

  /**
   * @param credentialsDir {@code username} and {@code password} files, or null
   * @param cacheDir where fetched repositories are kept (null: only for this run)
   * @throws SourceException when the ref is unknown (NOT_FOUND, INVALID: bad input) or the
   *     repository cannot be read (UNREACHABLE, UNAUTHORIZED)
   */
  static ReleaseCheckout fetch(
      GitSource git,
      String appPath,
      String requirementsFile,
      Scope scope,
      Path credentialsDir,
      Path cacheDir,
      PrintWriter err)
      throws IOException {
    Path temp = Files.createTempDirectory("pyrelease-checkout-");
    try (JGitResolver resolver =
        new JGitResolver(cacheDir != null ? cacheDir : temp.resolve(".git-cache"))) {
      GitCredentials credentials = GitCredentials.fromDirectory(credentialsDir);
      String commit = resolver.resolve(git.getUrl(), git.getRef(), credentials);
      err.println(
          "[source] "
              + git.getRef()
              + " of "
              + GitUrls.mask(git.getUrl())
              + " is "
              + commit
              + (scope == Scope.TREE ? ": checking it out" : ": reading the requirements there"));
      Path root = temp.resolve("tree");
      if (scope == Scope.TREE) {
        resolver.checkout(git.getUrl(), commit, root, credentials);
      } else {
        resolver.materializeRequirements(
            git.getUrl(), commit, appPath, requirementsFile, root, credentials);
      }
      return new ReleaseCheckout(commit, root, temp);
    } catch (RuntimeException e) {
      Workspace.deleteTree(temp);
      throw e;
    }
  }

  /** Whether a failure is the release's (an unknown ref) rather than the repository's. */
  static boolean isBadInput(SourceException e) {
    return e.kind() == SourceException.Kind.NOT_FOUND || e.kind() == SourceException.Kind.INVALID;
  }

  @Override
  public void close() {
    Workspace.deleteTree(temp);
  }
}
