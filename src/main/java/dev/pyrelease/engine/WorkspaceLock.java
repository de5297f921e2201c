package dev.pyrelease.engine;

import dev.pyrelease.http.Digests;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;

/**
 * A reusable workspace per image repository under a cache directory, held with a file lock.
 *
 * <p>Why reuse: Jib keys its layer cache on each file's source path and modification time. With the
 * venv always at the same path and every file's mtime derived from its content ({@link
 * #contentMtimes}), the layers of unchanged distributions are found in Jib's cache after a one-pin
 * bump and are not compressed again; only the changed ones are. A second build of the same
 * repository running at the same time does not wait: it gets a temporary workspace.
 */
public final class WorkspaceLock implements AutoCloseable {
  private final Path dir;
  private final FileChannel channel;
  private final FileLock lock;

  private WorkspaceLock(Path dir, FileChannel channel, FileLock lock) {
    this.dir = dir;
    this.channel = channel;
    this.lock = lock;
  }

  /** The workspace for {@code repository} under {@code cacheDir}, or null when it is in use. */
  public static WorkspaceLock tryAcquire(Path cacheDir, String repository) {
    Path dir = cacheDir.resolve("workspaces").resolve(hash(repository));
    try {
      Files.createDirectories(dir);
      FileChannel ch =
          FileChannel.open(
              dir.resolveSibling(dir.getFileName() + ".lock"),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE);
      FileLock l = ch.tryLock();
      if (l == null) {
        ch.close();
        return null;
      }
      return new WorkspaceLock(dir, ch, l);
    } catch (IOException | java.nio.channels.OverlappingFileLockException e) {
      return null;
    }
  }

  public Path dir() {
    return dir;
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // released with the process anyway
    }
  }

  /**
   * Sets every regular file's mtime under {@code root} to a value derived from its content (63 bits
   * of its sha256 as seconds and nanoseconds). Jib decides whether a cached layer is still valid
   * from each file's path and mtime: with content-derived mtimes an unchanged file keeps its mtime
   * across builds (cache hit) and a changed file gets another one (cache miss), which equal mtimes
   * for all would not guarantee. The image's own file times are fixed by Jib.
   */
  public static void contentMtimes(Path root) {
    if (!Files.isDirectory(root)) {
      return;
    }
    try (var walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          Files.setLastModifiedTime(p, contentTime(p));
        }
      }
    } catch (IOException e) {
      throw BuildException.environment("cannot set file times under " + root + ": " + e);
    }
  }

  static java.nio.file.attribute.FileTime contentTime(Path file) throws IOException {
    byte[] h = HexFormat.of().parseHex(SourceTree.sha256(file));
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (h[i] & 0xff);
    }
    long seconds = (v >>> 31) & ((1L << 33) - 1); // before the year 2243
    long nanos = (v & 0x7fffffffL) % 1_000_000_000L;
    return java.nio.file.attribute.FileTime.from(java.time.Instant.ofEpochSecond(seconds, nanos));
  }

  private static String hash(String repository) {
    return Digests.sha256(repository).substring(0, 16);
  }
}
