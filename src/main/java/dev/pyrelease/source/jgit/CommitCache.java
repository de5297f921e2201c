package dev.pyrelease.source.jgit;

import dev.pyrelease.source.GitCredentials;
import dev.pyrelease.source.GitUrls;
import dev.pyrelease.source.SourceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.AbbreviatedObjectId;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;

/**
 * Fetched commits, in one bare repository per URL under the cache directory ({@code <cache>/<hash
 * of the masked URL>.git}, so one repository with other credentials shares it); a commit once
 * fetched needs no network again.
 *
 * <p>Servers differ in which objects they serve: GitHub, GitLab and {@code git} with {@code
 * uploadpack.allowReachableSHA1InWant} (and JGit over smart HTTP) serve any reachable commit, but
 * {@code git upload-pack} and JGit over {@code file://}, {@code ssh://} and {@code git://} by
 * default only serve advertised ref tips. So a missing commit is fetched, in order: (1) by SHA,
 * depth 1; (2) through the refs whose tip (or peeled tag) is the commit, the usual case, since the
 * commit was just resolved from a ref; (3) with the full history of all branches and tags.
 *
 * <p>Fetches into one repository are serialised by a lock per URL; reads run in parallel.
 */
final class CommitCache implements AutoCloseable {
  static final Pattern FULL_SHA = Pattern.compile("[0-9a-fA-F]{40}");

  /** Fetched commits are kept under these refs, so that a gc of the cache keeps them. */
  private static final String PIN_PREFIX = "refs/pyrelease/c/";

  private final Path dir;
  private final GitRemote remote;
  private final Map<String, Repository> repos = new ConcurrentHashMap<>();
  private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

  /** How the last commit was fetched ("sha", "ref NAME", "history"), for tests and logs. */
  volatile String lastFetch;

  /** A commit in its cache repository. */
  record CommitTree(Repository repo, String commit, RevTree tree) {}

  CommitCache(Path dir, GitRemote remote) {
    this.dir = dir;
    this.remote = remote;
  }

  /**
   * The commit (fetched when not yet cached) and its tree.
   *
   * @throws SourceException INVALID (not a full SHA), NOT_FOUND (not in the repository), IO
   */
  CommitTree commitTree(String url, String commit, GitCredentials credentials) {
    remote.checkUrl(url, credentials);
    if (commit == null || !FULL_SHA.matcher(commit).matches()) {
      throw new SourceException(
          SourceException.Kind.INVALID,
          "'" + commit + "' is not a full 40-hex commit SHA; resolve the ref first");
    }
    ObjectId id = ObjectId.fromString(commit.toLowerCase(Locale.ROOT));
    Repository repo = ensureCommit(url, id, credentials);
    try (RevWalk walk = new RevWalk(repo)) {
      RevObject o = walk.peel(walk.parseAny(id));
      if (!(o instanceof RevCommit c)) {
        throw new SourceException(
            SourceException.Kind.NOT_FOUND,
            "'" + commit + "' in " + GitUrls.mask(url) + " is not a commit");
      }
      return new CommitTree(repo, c.name(), c.getTree());
    } catch (IOException e) {
      throw new SourceException(
          SourceException.Kind.IO, "cannot read commit " + commit + " from the git cache", e);
    }
  }

  /**
   * The commits whose SHA starts with {@code abbrev} (lower case): those in the cache, else those
   * after fetching the whole history of branches and tags.
   */
  List<String> commitsStartingWith(String url, String abbrev, GitCredentials credentials) {
    String key = GitUrls.cacheKey(url);
    ReentrantLock lock = lock(key);
    lock.lock();
    try {
      Repository repo = repository(key);
      List<String> found = commitsStartingWith(repo, abbrev);
      if (!found.isEmpty()) {
        return found;
      }
      fetchAllHistory(repo, url, credentials);
      return commitsStartingWith(repo, abbrev);
    } finally {
      lock.unlock();
    }
  }

  private static List<String> commitsStartingWith(Repository repo, String abbrev) {
    List<String> commits = new ArrayList<>();
    try (ObjectReader reader = repo.newObjectReader();
        RevWalk walk = new RevWalk(reader)) {
      Collection<ObjectId> ids = reader.resolve(AbbreviatedObjectId.fromString(abbrev));
      for (ObjectId id : ids) {
        if (walk.parseAny(id) instanceof RevCommit) {
          commits.add(id.name());
        }
      }
    } catch (IOException e) {
      // an unreadable cache knows no commit; the caller says the ref was not found
    }
    return commits;
  }

  private Repository ensureCommit(String url, ObjectId id, GitCredentials credentials) {
    String key = GitUrls.cacheKey(url);
    ReentrantLock lock = lock(key);
    lock.lock();
    try {
      Repository repo = repository(key);
      if (hasCommit(repo, id)) {
        return repo;
      }
      // 1. the commit itself (servers that allow reachable or any SHA in want); a refusal is
      // told apart from a missing commit by the ls-remote below
      List<RefSpec> bySha = List.of(new RefSpec(id.name() + ":" + pinRef(id)));
      if (remote.tryFetch(repo, url, credentials, bySha, 1) && hasCommit(repo, id)) {
        lastFetch = "sha";
        return repo;
      }
      // 2. a ref whose tip is the commit
      for (Ref r : remote.lsRemote(url, credentials).values()) {
        boolean tip =
            id.equals(r.getObjectId())
                || r.getPeeledObjectId() != null && id.equals(r.getPeeledObjectId());
        if (tip && !r.isSymbolic()) {
          remote.fetch(
              repo, url, credentials, List.of(new RefSpec(r.getName() + ":" + pinRef(id))), 1);
          if (hasCommit(repo, id)) {
            lastFetch = "ref " + r.getName();
            return repo;
          }
        }
      }
      // 3. the whole history of branches and tags
      fetchAllHistory(repo, url, credentials);
      if (hasCommit(repo, id)) {
        pin(repo, id);
        lastFetch = "history";
        return repo;
      }
      throw new SourceException(
          SourceException.Kind.NOT_FOUND,
          "commit "
              + id.name()
              + " is not in "
              + GitUrls.mask(url)
              + " (not reachable from any branch or tag)");
    } finally {
      lock.unlock();
    }
  }

  private void fetchAllHistory(Repository repo, String url, GitCredentials credentials) {
    remote.fetch(
        repo,
        url,
        credentials,
        List.of(
            new RefSpec("+refs/heads/*:refs/pyrelease/heads/*"),
            new RefSpec("+refs/tags/*:refs/pyrelease/tags/*")),
        0);
  }

  private static String pinRef(ObjectId id) {
    return PIN_PREFIX + id.name();
  }

  private static void pin(Repository repo, ObjectId id) {
    try {
      RefUpdate u = repo.updateRef(pinRef(id));
      u.setNewObjectId(id);
      u.setForceUpdate(true);
      u.update();
    } catch (IOException e) {
      // only keeps the commit from a future gc; reading works without it
    }
  }

  /** Whether the commit and its tree are here (a shallow fetch may have stopped short). */
  private static boolean hasCommit(Repository repo, ObjectId id) {
    try (RevWalk walk = new RevWalk(repo)) {
      RevObject o = walk.parseAny(id);
      while (o instanceof RevTag t) {
        o = walk.parseAny(t.getObject());
      }
      return o instanceof RevCommit c && repo.getObjectDatabase().has(c.getTree());
    } catch (IOException e) {
      return false; // MissingObjectException included
    }
  }

  private ReentrantLock lock(String key) {
    return locks.computeIfAbsent(key, k -> new ReentrantLock());
  }

  /** The bare cache repository for {@code key}, created when missing. */
  private Repository repository(String key) {
    return repos.computeIfAbsent(
        key,
        k -> {
          Path gitDir = dir.resolve(k + ".git");
          try {
            Files.createDirectories(dir);
            Repository r = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setBare().build();
            if (!r.getObjectDatabase().exists()) {
              r.create(true);
            }
            return r;
          } catch (IOException | IllegalStateException e) {
            throw new SourceException(
                SourceException.Kind.IO, "cannot create the git cache " + gitDir + ": " + e, e);
          }
        });
  }

  @Override
  public void close() {
    repos.values().forEach(Repository::close);
    repos.clear();
  }
}
