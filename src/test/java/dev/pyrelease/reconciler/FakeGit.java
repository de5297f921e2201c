package dev.pyrelease.reconciler;

import dev.pyrelease.api.v1alpha1.GitSource;
import dev.pyrelease.python.FileTree;
import dev.pyrelease.source.GitResolver;
import java.nio.charset.StandardCharsets;
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

  /** The files of one commit as a tree: directories are the prefixes of its paths; no links. */
  @Override
  public FileTree tree(String url, String commit, Credentials credentials) throws GitException {
    String prefix = commit + ":";
    return new FileTree() {
      @Override
      public Entry resolve(String path) {
        if (files.containsKey(prefix + path)) {
          return new Entry(Kind.FILE, path);
        }
        String dir = path.isEmpty() ? prefix : prefix + path + "/";
        return files.keySet().stream().anyMatch(k -> k.startsWith(dir)) || path.isEmpty()
            ? new Entry(Kind.DIRECTORY, path)
            : Entry.MISSING;
      }

      @Override
      public long size(Entry file) {
        return read(file).length;
      }

      @Override
      public byte[] read(Entry file) {
        return files.get(prefix + file.realPath()).getBytes(StandardCharsets.UTF_8);
      }
    };
  }
}
