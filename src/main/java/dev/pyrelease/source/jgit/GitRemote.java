package dev.pyrelease.source.jgit;

import dev.pyrelease.source.GitCredentials;
import dev.pyrelease.source.GitUrls;
import dev.pyrelease.source.SourceException;
import java.io.IOException;
import java.net.URISyntaxException;
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
import org.eclipse.jgit.transport.SshSessionFactory;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * The remote end: which URLs this resolver accepts, {@code git ls-remote}, and fetches into a cache
 * repository, with the timeout and the credentials; failures come out through {@link GitErrors}.
 */
final class GitRemote {
  private final int timeoutSeconds;
  private final boolean allowLocal;

  GitRemote(int timeoutSeconds, boolean allowLocal) {
    this.timeoutSeconds = timeoutSeconds;
    this.allowLocal = allowLocal;
  }

  /**
   * Refuses what cannot work before any network access: no URL, a local repository when they are
   * not allowed, ssh (no JGit ssh transport bundled), an ssh key for a non-ssh URL.
   */
  void checkUrl(String url, GitCredentials credentials) {
    if (url == null || url.isBlank()) {
      throw new SourceException(SourceException.Kind.INVALID, "no git URL given");
    }
    URIish uri;
    try {
      uri = new URIish(url);
    } catch (URISyntaxException e) {
      throw new SourceException(
          SourceException.Kind.INVALID, "'" + GitUrls.mask(url) + "' is not a git URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    boolean ssh =
        scheme.equals("ssh")
            || scheme.equals("git+ssh")
            || scheme.equals("ssh+git")
            || scheme.isEmpty() && uri.getHost() != null;
    boolean local = scheme.equals("file") || scheme.isEmpty() && uri.getHost() == null;
    if (local && !allowLocal) {
      throw new SourceException(
          SourceException.Kind.UNSUPPORTED,
          "local repositories (" + GitUrls.mask(url) + ") are not allowed by this operator");
    }
    if (ssh && SshSessionFactory.getInstance() == null) {
      throw new SourceException(
          SourceException.Kind.UNSUPPORTED,
          "ssh URLs ("
              + GitUrls.mask(url)
              + ") are not supported by this build (no JGit ssh transport); use https with a"
              + " token");
    }
    boolean sshKey = credentials != null && credentials.kind() == GitCredentials.Kind.SSH_KEY;
    if (sshKey && !ssh && !local) {
      throw new SourceException(
          SourceException.Kind.INVALID,
          "the git secret holds an ssh key but " + GitUrls.mask(url) + " is not an ssh URL");
    }
    if (ssh && sshKey) {
      throw new SourceException(
          SourceException.Kind.UNSUPPORTED,
          "ssh private keys from secrets are not supported yet (" + GitUrls.mask(url) + ")");
    }
  }

  /** The advertised refs by full name, peeled tags included. */
  Map<String, Ref> lsRemote(String url, GitCredentials credentials) {
    try {
      var cmd = Git.lsRemoteRepository().setRemote(url).setHeads(false).setTags(false);
      configure(cmd, credentials);
      return new TreeMap<>(cmd.callAsMap());
    } catch (GitAPIException | RuntimeException e) {
      throw GitErrors.classify(e, "cannot list refs of", url, credentials);
    }
  }

  /**
   * Fetches {@code specs} into {@code repo}.
   *
   * @param depth 1 for a single commit; 0 for the whole history (unshallows the cache)
   */
  void fetch(
      Repository repo, String url, GitCredentials credentials, List<RefSpec> specs, int depth) {
    try {
      call(repo, url, credentials, specs, depth);
    } catch (GitAPIException | IOException | RuntimeException e) {
      throw GitErrors.classify(e, "cannot fetch from", url, credentials);
    }
  }

  /**
   * {@link #fetch}, for a request the server may refuse (a commit it does not advertise): false
   * then, so that the caller tries another way. Refused credentials and an unreachable server are
   * thrown, since no other request would fare better.
   */
  boolean tryFetch(
      Repository repo, String url, GitCredentials credentials, List<RefSpec> specs, int depth) {
    try {
      call(repo, url, credentials, specs, depth);
      return true;
    } catch (GitAPIException | IOException | RuntimeException e) {
      SourceException s = GitErrors.classify(e, "cannot fetch from", url, credentials);
      if (s.kind() == SourceException.Kind.UNAUTHORIZED || GitErrors.connectionFailure(e)) {
        throw s;
      }
      return false;
    }
  }

  private void call(
      Repository repo, String url, GitCredentials credentials, List<RefSpec> specs, int depth)
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
    configure(f, credentials);
    f.call();
  }

  private <C extends TransportCommand<C, ?>> void configure(C cmd, GitCredentials credentials) {
    cmd.setTimeout(timeoutSeconds);
    if (credentials != null && credentials.kind() == GitCredentials.Kind.BASIC) {
      cmd.setCredentialsProvider(
          new UsernamePasswordCredentialsProvider(credentials.username(), credentials.password()));
    }
  }
}
