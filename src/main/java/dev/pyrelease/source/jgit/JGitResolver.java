package dev.pyrelease.source.jgit;

import dev.pyrelease.python.FileTree;
import dev.pyrelease.source.GitCredentials;
import dev.pyrelease.source.GitResolver;
import dev.pyrelease.source.SourceException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@link GitResolver} with JGit: refs by {@code git ls-remote} ({@link RefResolver}), commits
 * fetched shallowly into a cache repository per URL ({@link CommitCache}), read as a {@link
 * CommitFileTree} or written into a directory ({@link TreeCheckout}); JGit's failures become {@link
 * SourceException}s without credentials ({@link GitErrors}).
 *
 * <h2>Transports</h2>
 *
 * {@code file://} (and plain local paths, unless disabled), {@code https://}/{@code http://} with
 * basic auth ({@link GitCredentials#basic}, or {@code user:token@} in the URL). {@code ssh://} and
 * {@code git@host:path} with JGit's Apache MINA SSHD transport, given an ssh key and known_hosts
 * ({@link GitCredentials#sshKey}; see {@link SshSession}): the host key is always checked, and a
 * refused one fails with kind HOST_KEY_REJECTED.
 *
 * <p>Thread-safe: fetches into one cache repository are serialised; reads run in parallel.
 */
public final class JGitResolver implements GitResolver {
  /** Default network timeout (per connection phase, as JGit's {@code setTimeout}). */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  /** Largest file a {@link #tree} reads. */
  public static final long MAX_FILE_BYTES = 16L * 1024 * 1024;

  private final CommitCache cache;
  private final RefResolver refs;

  /** What {@link #materialize} wrote. */
  public record Checkout(Path root, int files, int links, List<String> submodules) {}

  /** A resolver caching fetched commits under {@code cacheDir}; local repositories allowed. */
  public JGitResolver(Path cacheDir) {
    this(cacheDir, DEFAULT_TIMEOUT, true);
  }

  /**
   * @param cacheDir where the per-URL bare repositories live (created when missing)
   * @param timeout network timeout, at least one second
   * @param allowLocalRepositories whether {@code file://} URLs and local paths are accepted; an
   *     operator serving many users may turn them off so that a spec cannot read the operator pod's
   *     file system
   */
  public JGitResolver(Path cacheDir, Duration timeout, boolean allowLocalRepositories) {
    int timeoutSeconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toSeconds()));
    Path root = cacheDir.toAbsolutePath().normalize();
    GitRemote remote =
        new GitRemote(timeoutSeconds, allowLocalRepositories, root.resolve(".ssh-home"));
    this.cache = new CommitCache(root, remote);
    this.refs = new RefResolver(remote, cache);
  }

  @Override
  public ResolvedRef resolve(String url, String ref, GitCredentials credentials) {
    return refs.resolve(url, ref, credentials);
  }

  @Override
  public FileTree tree(String url, String commit, GitCredentials credentials) {
    CommitCache.CommitTree ct = cache.commitTree(url, commit, credentials);
    return new CommitFileTree(ct.repo(), ct.tree(), MAX_FILE_BYTES);
  }

  @Override
  public Path checkout(String url, String commit, Path target, GitCredentials credentials) {
    return materialize(url, commit, "", target, credentials).root();
  }

  /**
   * Writes the files below {@code subdir} of the commit into {@code target}, at their repository
   * paths ({@code target/<subdir>/…}), as {@link #checkout} writes them all.
   *
   * @return the directory in {@code target} that holds {@code subdir}, and what was written
   */
  public Checkout materialize(
      String url, String commit, String subdir, Path target, GitCredentials credentials) {
    return TreeCheckout.write(cache.commitTree(url, commit, credentials), url, subdir, target);
  }

  /** How the last commit was fetched ("sha", "ref NAME", "history"). */
  String lastFetch() {
    return cache.lastFetch;
  }

  @Override
  public void close() {
    cache.close();
  }
}
