package dev.pyrelease.python;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@link FileTree} over a directory: real paths by {@link Path#toRealPath}, confined to it. */
final class DirectoryTree implements FileTree {
  private final Path root;
  private Path rootReal;

  DirectoryTree(Path root) {
    this.root = root;
  }

  @Override
  public Entry resolve(String path) {
    if (root == null || !resolveRoot()) {
      return Entry.MISSING;
    }
    Path real;
    try {
      real = rootReal.resolve(path).toRealPath();
    } catch (IOException | RuntimeException e) {
      return Entry.MISSING;
    }
    if (!real.startsWith(rootReal)) {
      return Entry.OUTSIDE;
    }
    return new Entry(Files.isDirectory(real) ? Kind.DIRECTORY : Kind.FILE, real.toString());
  }

  @Override
  public long size(Entry file) throws IOException {
    return Files.size(Path.of(file.realPath()));
  }

  @Override
  public byte[] read(Entry file) throws IOException {
    return Files.readAllBytes(Path.of(file.realPath()));
  }

  private boolean resolveRoot() {
    if (rootReal != null) {
      return true;
    }
    try {
      rootReal = root.toRealPath();
      return Files.isDirectory(rootReal);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
