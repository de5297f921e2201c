package dev.pyrelease.reconciler;

import dev.pyrelease.python.FileTree;
import dev.pyrelease.source.GitCredentials;
import dev.pyrelease.source.GitResolver;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A git server that answers after a delay and counts what it is asked: the fleet benchmark's git (a
 * remote's round trip is the cost that matters, not JGit's parsing). Wraps {@link FakeGit}.
 */
class SlowGit implements GitResolver {
  final FakeGit git;
  final long latencyMillis;
  final AtomicLong resolves = new AtomicLong();
  final AtomicLong trees = new AtomicLong();
  final AtomicLong checkouts = new AtomicLong();
  final AtomicLong lastRequestNanos = new AtomicLong(System.nanoTime());

  SlowGit(FakeGit git, long latencyMillis) {
    this.git = git;
    this.latencyMillis = latencyMillis;
  }

  long requests() {
    return resolves.get() + trees.get() + checkouts.get();
  }

  @Override
  public ResolvedRef resolve(String url, String ref, GitCredentials credentials) {
    resolves.incrementAndGet();
    pause();
    return git.resolve(url, ref, credentials);
  }

  /** One fetch of the commit (JGit's CommitCache fetches it, then reads it locally). */
  @Override
  public FileTree tree(String url, String commit, GitCredentials credentials) {
    trees.incrementAndGet();
    pause();
    return git.tree(url, commit, credentials);
  }

  @Override
  public Path checkout(String url, String commit, Path target, GitCredentials credentials) {
    checkouts.incrementAndGet();
    pause();
    return git.checkout(url, commit, target, credentials);
  }

  /** Milliseconds since git was last asked anything. */
  long quietMillis() {
    return (System.nanoTime() - lastRequestNanos.get()) / 1_000_000;
  }

  private void pause() {
    lastRequestNanos.set(System.nanoTime());
    if (latencyMillis > 0) {
      try {
        Thread.sleep(latencyMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
