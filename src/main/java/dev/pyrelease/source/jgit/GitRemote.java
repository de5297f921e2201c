package dev.pyrelease.source.jgit;

import dev.pyrelease.source.GitCredentials;
import dev.pyrelease.source.GitUrls;
import dev.pyrelease.source.SourceException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.api.FetchCommand;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * The remote end: which URLs this resolver accepts, {@code git ls-remote}, and fetches into a cache
 * repository, with the timeout and the credentials; failures come out through {@link GitErrors}.
 * ssh URLs connect through an {@link SshSession} made from the credentials for each operation.
 */
final class GitRemote {
  private final int timeoutSeconds;
  private final boolean allowLocal;
  private final Path sshHome;

  GitRemote(int timeoutSeconds, boolean allowLocal) {
    this(
        timeoutSeconds,
        allowLocal,
        Path.of(System.getProperty("java.io.tmpdir"), "pyrelease-ssh-home"));
  }

  /**
   * @param sshHome an empty directory JGit's ssh client may take as its home (it reads nothing
   *     there)
   */
  GitRemote(int timeoutSeconds, boolean allowLocal, Path sshHome) {
    this.timeoutSeconds = timeoutSeconds;
    this.allowLocal = allowLocal;
    this.sshHome = sshHome;
  }

  /**
   * Refuses what cannot work before any network access: no URL or a malformed one ({@link
   * GitUrls#problem}), a local repository when they are not allowed, an ssh key for a non-ssh URL,
   * an ssh URL without a key and known_hosts.
   */
  void checkUrl(String url, GitCredentials credentials) {
    String problem = GitUrls.problem(url);
    if (problem != null) {
      throw new SourceException(SourceException.Kind.INVALID, problem);
    }
    URIish uri;
    try {
      uri = new URIish(url);
    } catch (URISyntaxException e) {
      throw new SourceException(
          SourceException.Kind.INVALID, "'" + GitUrls.mask(url) + "' is not a git URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    boolean ssh = GitUrls.isSsh(url);
    boolean local = scheme.equals("file") || scheme.isEmpty() && uri.getHost() == null;
    if (local && !allowLocal) {
      throw new SourceException(
          SourceException.Kind.UNSUPPORTED,
          "local repositories (" + GitUrls.mask(url) + ") are not allowed by this operator");
    }
    boolean sshKey = credentials != null && credentials.kind() == GitCredentials.Kind.SSH_KEY;
    if (sshKey && !ssh && !local) {
      throw new SourceException(
          SourceException.Kind.INVALID,
          "the git secret holds an ssh key but " + GitUrls.mask(url) + " is not an ssh URL");
    }
    if (ssh) {
      // the key and known_hosts are checked here, before any connection
      SshSession.open(url, credentials, sshHome).close();
    }
  }

  /** The advertised refs by full name, peeled tags included. */
  Map<String, Ref> lsRemote(String url, GitCredentials credentials) {
    try (SshSession ssh = sshSession(url, credentials)) {
      try {
        var cmd = Git.lsRemoteRepository().setRemote(url).setHeads(false).setTags(false);
        configure(cmd, credentials, ssh);
        return new TreeMap<>(cmd.callAsMap());
      } catch (GitAPIException | RuntimeException e) {
        throw classify(e, "cannot list refs of", url, credentials, ssh);
      }
    }
  }

  private SshSession sshSession(String url, GitCredentials credentials) {
    return GitUrls.isSsh(url) ? SshSession.open(url, credentials, sshHome) : null;
  }

  /** A refused host key is its own failure, whatever JGit made of it. */
  private static SourceException classify(
      Throwable e, String action, String url, GitCredentials credentials, SshSession ssh) {
    if (e instanceof SourceException s) {
      return s;
    }
    String rejected = ssh == null ? null : ssh.rejection();
    if (rejected != null) {
      return new SourceException(
          SourceException.Kind.HOST_KEY_REJECTED,
          action + " " + GitUrls.mask(url) + ": " + rejected);
    }
    SourceException out = GitErrors.classify(e, action, url, credentials);
    if (ssh != null && out.kind() == SourceException.Kind.UNAUTHORIZED) {
      return new SourceException(
          out.kind(),
          out.getMessage()
              + " \u2014 the server accepts no key of "
              + credentials.describeKey(GitCredentials.SSH_PRIVATE_KEY)
              + ": add its public key to the repository (a deploy key) or to the account the URL"
              + " names");
    }
    return out;
  }

  /**
   * Fetches {@code specs} into {@code repo}.
   *
   * @param depth 1 for a single commit; 0 for the whole history (unshallows the cache)
   */
  void fetch(
      Repository repo, String url, GitCredentials credentials, List<RefSpec> specs, int depth) {
    try (SshSession ssh = sshSession(url, credentials)) {
      try {
        call(repo, url, credentials, specs, depth, ssh);
      } catch (GitAPIException | IOException | RuntimeException e) {
        throw classify(e, "cannot fetch from", url, credentials, ssh);
      }
    }
  }

  /**
   * {@link #fetch}, for a request the server may refuse (a commit it does not advertise): false
   * then, so that the caller tries another way. Refused credentials and an unreachable server are
   * thrown, since no other request would fare better.
   */
  boolean tryFetch(
      Repository repo, String url, GitCredentials credentials, List<RefSpec> specs, int depth) {
    try (SshSession ssh = sshSession(url, credentials)) {
      try {
        call(repo, url, credentials, specs, depth, ssh);
        return true;
      } catch (GitAPIException | IOException | RuntimeException e) {
        SourceException s = classify(e, "cannot fetch from", url, credentials, ssh);
        if (s.kind() == SourceException.Kind.UNAUTHORIZED
            || s.kind() == SourceException.Kind.HOST_KEY_REJECTED
            || s.kind() == SourceException.Kind.INVALID
            || GitErrors.connectionFailure(e)) {
          throw s;
        }
        return false;
      }
    }
  }

  private void call(
      Repository repo,
      String url,
      GitCredentials credentials,
      List<RefSpec> specs,
      int depth,
      SshSession ssh)
      throws GitAPIException, IOException {
    FetchCommand f =
        Git.wrap(repo)
            .fetch()
            .setRemote(url)
            .setRefSpecs(specs)
            .setTagOpt(TagOpt.NO_TAGS)
            .setRemoveDeletedRefs(false)
            // JGit's fetched-object check also tests connectivity and fails on shallow fetches
            // ("peer did not supply a complete object graph"); tree paths are checked on write
            .setCheckFetchedObjects(false);
    if (depth > 0) {
      f.setDepth(depth);
    } else if (!repo.getObjectDatabase().getShallowCommits().isEmpty()) {
      f.setUnshallow(true);
    }
    configure(f, credentials, ssh);
    f.call();
  }

  private <C extends TransportCommand<C, ?>> void configure(
      C cmd, GitCredentials credentials, SshSession ssh) {
    cmd.setTimeout(timeoutSeconds);
    if (ssh != null) {
      ssh.configure(cmd);
    }
    if (credentials != null && credentials.kind() == GitCredentials.Kind.BASIC) {
      cmd.setCredentialsProvider(
          new UsernamePasswordCredentialsProvider(credentials.username(), credentials.password()));
    }
  }
}
