package dev.pyrelease.index;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Keeps the core METADATA of index files on disk, keyed by the file's sha256 as the index states
 * it: a wheel's content, and so its METADATA, never changes under the same hash, so the cache needs
 * no expiry. Without it every {@code check} downloads whole wheels from servers that offer neither
 * PEP 658 metadata nor range requests (a 50-pin set with numpy and pandas is ~80 MB).
 *
 * <p>Files without a stated sha256 are never cached. A cache that cannot be written is skipped
 * silently: it only costs time.
 */
public final class CachingPackageIndex implements PackageIndex {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private final PackageIndex delegate;
  private final Path dir;

  public CachingPackageIndex(PackageIndex delegate, Path dir) {
    this.delegate = delegate;
    this.dir = dir;
  }

  @Override
  public List<IndexFile> files(String normalizedProjectName) {
    return delegate.files(normalizedProjectName);
  }

  @Override
  public Map<String, List<IndexFile>> files(List<String> names) {
    return delegate.files(names);
  }

  @Override
  public String metadata(IndexFile file) {
    String cached = read(file);
    if (cached != null) {
      return cached;
    }
    String text = delegate.metadata(file);
    write(file, text);
    return text;
  }

  @Override
  public Map<IndexFile, String> metadata(Collection<IndexFile> files) {
    Map<IndexFile, String> out = new LinkedHashMap<>();
    List<IndexFile> missing = new ArrayList<>();
    for (IndexFile f : files) {
      String cached = read(f);
      out.put(f, cached);
      if (cached == null) {
        missing.add(f);
      }
    }
    if (!missing.isEmpty()) {
      delegate
          .metadata(missing)
          .forEach(
              (f, text) -> {
                write(f, text);
                out.put(f, text);
              });
    }
    return out;
  }

  private Path path(IndexFile f) {
    String sha = f.sha256();
    if (sha == null || !SHA256.matcher(sha).matches()) {
      return null;
    }
    return dir.resolve(sha.substring(0, 2)).resolve(sha + ".METADATA");
  }

  private String read(IndexFile f) {
    Path p = path(f);
    if (p == null || !Files.isRegularFile(p)) {
      return null;
    }
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    }
  }

  private void write(IndexFile f, String text) {
    Path p = path(f);
    if (p == null || text == null) {
      return;
    }
    try {
      Files.createDirectories(p.getParent());
      Path tmp = Files.createTempFile(p.getParent(), ".metadata", ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      try {
        Files.move(tmp, p, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      // an unwritable cache only costs time on the next run
    }
  }

  @Override
  public void close() {
    delegate.close();
  }
}
