package dev.pyrelease.reconciler;

import dev.pyrelease.python.FileTree;
import dev.pyrelease.source.GitCredentials;
import dev.pyrelease.source.GitResolver;
import dev.pyrelease.source.SourceException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A git server as two maps: ref → commit, and commit:path → file content. */
final class FakeGit implements GitResolver {
  final Map<String, String> refs = new ConcurrentHashMap<>();
  final Map<String, String> files = new ConcurrentHashMap<>();
  final AtomicInteger transientFailures = new AtomicInteger();

  /** Refs whose resolution hits a bug (an exception no one expected), every time. */
  final java.util.Set<String> buggyRefs = ConcurrentHashMap.newKeySet();

  FakeGit ref(String ref, String commit) {
    refs.put(ref, commit);
    return this;
  }

  FakeGit file(String commit, String path, String content) {
    files.put(commit + ":" + path, content);
    return this;
  }

  @Override
  public ResolvedRef resolve(String url, String ref, GitCredentials credentials) {
    if (transientFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new SourceException(SourceException.Kind.UNREACHABLE, "connection reset (fake)");
    }
    if (buggyRefs.contains(ref)) {
      throw new IllegalStateException("a bug (fake) resolving " + ref);
    }
    String c = refs.get(ref);
    if (c == null) {
      throw new SourceException(SourceException.Kind.NOT_FOUND, "no ref " + ref);
    }
    return new ResolvedRef(c, ref, List.of());
  }

  /** The files of one commit as a tree: directories are the prefixes of its paths; no links. */
  @Override
  public FileTree tree(String url, String commit, GitCredentials credentials) {
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

  /** The files of one commit written into {@code target}. */
  @Override
  public Path checkout(String url, String commit, Path target, GitCredentials credentials) {
    String prefix = commit + ":";
    try {
      Files.createDirectories(target);
      for (var e : files.entrySet()) {
        if (e.getKey().startsWith(prefix)) {
          Path out = target.resolve(e.getKey().substring(prefix.length()));
          Files.createDirectories(out.getParent());
          Files.writeString(out, e.getValue());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return target;
  }
}
