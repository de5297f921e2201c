package dev.pyrelease.reconciler;

import dev.pyrelease.api.v1alpha1.GitSource;
import dev.pyrelease.source.GitResolver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A git server as two maps: ref → commit, and commit:path → file content. */
final class FakeGit implements GitResolver {
  final Map<String, String> refs = new ConcurrentHashMap<>();
  final Map<String, String> files = new ConcurrentHashMap<>();
  final AtomicInteger transientFailures = new AtomicInteger();

  FakeGit ref(String ref, String commit) {
    refs.put(ref, commit);
    return this;
  }

  FakeGit file(String commit, String path, String content) {
    files.put(commit + ":" + path, content);
    return this;
  }

  @Override
  public String resolve(GitSource git, Credentials credentials) throws GitException {
    if (transientFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new GitException("connection reset (fake)");
    }
    String c = refs.get(git.getRef());
    if (c == null) {
      throw new UnknownRefException("no ref " + git.getRef());
    }
    return c;
  }

  @Override
  public String readFile(String url, String commit, String path, Credentials credentials)
      throws GitException {
    String c = files.get(commit + ":" + path);
    if (c == null) {
      throw new MissingFileException(path + " not at " + commit);
    }
    return c;
  }
}
