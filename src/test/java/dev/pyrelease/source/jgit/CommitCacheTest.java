package dev.pyrelease.source.jgit;

import static dev.pyrelease.source.jgit.TestRepos.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pyrelease.source.SourceException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.StoredConfig;
import org.junit.jupiter.api.Test;

/** Commits fetched into the cache, by SHA, by ref or with the history, and read from there. */
class CommitCacheTest extends ResolverFixture {
  @Test
  void readsAFileAtAnOlderCommitAfterMainMoved() {
    String c1 = resolver.resolve(repo.url, "v1.0", none).commit();
    assertThat(read(resolver, repo.url, c1, "requirements/prod.txt", none))
        .isEqualTo("-r base.txt\ndjango==5.2.17\n");
    // JGit's file:// transport (protocol v2) serves any reachable commit by SHA
    assertThat(resolver.lastFetch()).isEqualTo("sha");
    assertThat(read(resolver, repo.url, repo.c3, "requirements/prod.txt", none))
        .isEqualTo("-r base.txt\ndjango==5.2.18\n");
    // cached: the origin can go away
    assertThat(read(resolver, repo.url, c1, "requirements/base.txt", none))
        .isEqualTo("requests==2.32.3\n");
  }

  @Test
  void readsACommitThatIsNoRefTip() throws Exception {
    // c1 is the tip of v1.0 and release; make a commit reachable only through history
    try (Git git = Git.open(repo.dir.toFile())) {
      git.tagDelete().setTags("v1.0", "release").call();
      git.branchDelete().setBranchNames("release").setForce(true).call();
    }
    assertThat(read(resolver, repo.url, repo.c1, "requirements/prod.txt", none))
        .contains("django==5.2.17");
    assertThat(resolver.lastFetch()).isEqualTo("sha");
  }

  @Test
  void readsAnUnadvertisedCommitWhenTheServerAllowsIt() throws Exception {
    try (Git git = Git.open(repo.dir.toFile())) {
      StoredConfig config = git.getRepository().getConfig();
      config.setBoolean("uploadpack", null, "allowReachableSHA1InWant", true);
      config.save();
      git.tagDelete().setTags("v1.0", "release").call();
      git.branchDelete().setBranchNames("release").setForce(true).call();
    }
    assertThat(read(resolver, repo.url, repo.c1, "requirements/prod.txt", none))
        .contains("django==5.2.17");
    assertThat(resolver.lastFetch()).isEqualTo("sha");
  }

  @Test
  void unknownCommit() {
    String sha = "0123456789abcdef0123456789abcdef01234567";
    SourceException e =
        catchThrowableOfType(() -> resolver.tree(repo.url, sha, none), SourceException.class);
    assertThat(e.kind()).isEqualTo(SourceException.Kind.NOT_FOUND);
    assertThat(e.getMessage()).contains(sha);
    assertThatThrownBy(() -> resolver.tree(repo.url, "main", none))
        .isInstanceOfSatisfying(
            SourceException.class,
            x -> assertThat(x.kind()).isEqualTo(SourceException.Kind.INVALID));
  }

  @Test
  void concurrentReadsOfOneRepository() throws Exception {
    var pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> fs = new ArrayList<>();
      for (int i = 0; i < 32; i++) {
        String c = i % 2 == 0 ? repo.c1 : repo.c3;
        fs.add(pool.submit(() -> read(resolver, repo.url, c, "requirements/prod.txt", none)));
      }
      for (int i = 0; i < fs.size(); i++) {
        assertThat(fs.get(i).get()).contains(i % 2 == 0 ? "5.2.17" : "5.2.18");
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void timing() {
    long t0 = System.nanoTime();
    String c = resolver.resolve(repo.url, "main", none).commit();
    long t1 = System.nanoTime();
    read(resolver, repo.url, c, "requirements/prod.txt", none);
    long t2 = System.nanoTime();
    read(resolver, repo.url, c, "requirements/base.txt", none);
    long t3 = System.nanoTime();
    System.out.printf(
        "[timing] file:// resolve %.1f ms, first read (fetch) %.1f ms, cached read %.1f ms%n",
        (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6);
  }
}
