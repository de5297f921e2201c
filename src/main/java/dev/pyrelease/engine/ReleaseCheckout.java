package dev.pyrelease.engine;

import dev.pyrelease.api.v1alpha1.GitSource;
import dev.pyrelease.python.FileTree;
import dev.pyrelease.source.GitCredentials;
import dev.pyrelease.source.GitResolver;
import dev.pyrelease.source.GitUrls;
import dev.pyrelease.source.SourceException;
import dev.pyrelease.source.jgit.JGitResolver;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * No {@code --source}: the release's {@code spec.source.git.ref} resolved to a commit, as the
 * operator does: checked out into a temporary directory for a build (as the build Job does), or
 * only opened as a tree for reading the requirement files there (as the reconciler reads them,
 * through the same {@link dev.pyrelease.release.ReleaseRequirements}). Closing it deletes the
 * directory.
 *
 * @param commit the resolved commit
 * @param root the checkout (TREE scope), else null
 * @param tree the commit's files without a checkout (REQUIREMENTS scope), else null
 */
public record ReleaseCheckout(
    String commit, Path root, FileTree tree, Path temp, GitResolver resolver)
    implements AutoCloseable {

  /** What to fetch: the whole tree as files, or the commit to read the requirements from. */
  public enum Scope {
    TREE,
    REQUIREMENTS
  }

  /**
   * @param credentialsDir {@code username}/{@code password} or {@code ssh-privatekey}/{@code
   *     known_hosts} files, or null
   * @param cacheDir where fetched repositories are kept (null: only for this run)
   * @throws SourceException when the ref is unknown (NOT_FOUND, INVALID: bad input) or the
   *     repository cannot be read (UNREACHABLE, UNAUTHORIZED)
   */
  public static ReleaseCheckout fetch(
      GitSource git, Scope scope, Path credentialsDir, Path cacheDir, PrintWriter err)
      throws IOException {
    Path temp = Files.createTempDirectory("pyrelease-checkout-");
    GitResolver resolver =
        new JGitResolver(cacheDir != null ? cacheDir : temp.resolve(".git-cache"));
    try {
      GitCredentials credentials = GitCredentials.fromDirectory(credentialsDir);
      String commit = resolver.resolve(git.getUrl(), git.getRef(), credentials).commit();
      err.println(
          "[source] "
              + git.getRef()
              + " of "
              + GitUrls.mask(git.getUrl())
              + " is "
              + commit
              + (scope == Scope.TREE ? ": checking it out" : ": reading the requirements there"));
      if (scope == Scope.TREE) {
        Path root = temp.resolve("tree");
        resolver.checkout(git.getUrl(), commit, root, credentials);
        return new ReleaseCheckout(commit, root, null, temp, resolver);
      }
      FileTree tree = resolver.tree(git.getUrl(), commit, credentials);
      return new ReleaseCheckout(commit, null, tree, temp, resolver);
    } catch (RuntimeException e) {
      resolver.close();
      Workspace.deleteTree(temp);
      throw e;
    }
  }

  /** Whether a failure is the release's (an unknown ref) rather than the repository's. */
  public static boolean isBadInput(SourceException e) {
    return e.kind() == SourceException.Kind.NOT_FOUND || e.kind() == SourceException.Kind.INVALID;
  }

  @Override
  public void close() {
    resolver.close();
    Workspace.deleteTree(temp);
  }
}
