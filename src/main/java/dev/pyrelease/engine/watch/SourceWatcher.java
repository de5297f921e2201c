package dev.pyrelease.engine.watch;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import dev.pyrelease.engine.SourceTree;
import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Watches a source tree (recursively, new directories included) and the directory of a release
 * manifest with the platform's {@link WatchService} (inotify on Linux), and hands out the paths
 * that changed. Which of them matter is the caller's decision ({@link #ignored} helps); this class
 * only registers directories and turns watch keys into paths. Directories the build leaves out
 * ({@link SourceTree#IGNORED_DIRS}) are not watched at all.
 *
 * <p>{@link #close()} may be called from another thread: a waiting {@link #poll} then throws {@link
 * java.nio.file.ClosedWatchServiceException}.
 */
public final class SourceWatcher implements AutoCloseable {
  /** The source directory or the manifest's directory is gone: nothing left to watch. */
  public static final class GoneException extends RuntimeException {
    public GoneException(String message) {
      super(message);
    }
  }

  private final Path root;
  private final Path manifestDir;
  private final WatchService service;
  private final Map<WatchKey, Path> dirs = new ConcurrentHashMap<>();

  /**
   * @throws IOException when a directory cannot be watched (e.g. it does not exist)
   */
  public SourceWatcher(Path sourceDir, Path manifest) throws IOException {
    this.root = sourceDir.toAbsolutePath().normalize();
    this.manifestDir = manifest.toAbsolutePath().normalize().getParent();
    this.service = root.getFileSystem().newWatchService();
    try {
      registerTree(root);
      register(manifestDir);
    } catch (IOException | RuntimeException e) {
      service.close();
      throw e;
    }
  }

  /**
   * Whether a change at {@code relative} (to the source root) cannot matter to a build: what the
   * build leaves out ({@code .git/}, {@code __pycache__/}, {@code *.pyc}, ...) and editors' temp
   * and backup files (vim's {@code *.swp}/{@code *.swx}, {@code *~}, Emacs' {@code .#*} locks).
   */
  public static boolean ignored(Path relative) {
    if (SourceTree.ignored(relative)) {
      return true;
    }
    Path last = relative.getFileName();
    String name = last == null ? "" : last.toString();
    return name.endsWith(".swp")
        || name.endsWith(".swx")
        || name.endsWith("~")
        || name.startsWith(".#");
  }

  /**
   * The absolute paths that changed in one watched directory, waiting at most {@code timeoutNanos}
   * (without limit when negative); empty when nothing happened in that time. New directories in the
   * source tree are watched from now on. Lost events (the kernel queue overflowed) are reported as
   * a change of the source root.
   *
   * @throws GoneException when the source directory or the manifest's directory was deleted
   * @throws java.nio.file.ClosedWatchServiceException when closed
   */
  public List<Path> poll(long timeoutNanos) throws InterruptedException {
    WatchKey key =
        timeoutNanos < 0 ? service.take() : service.poll(timeoutNanos, TimeUnit.NANOSECONDS);
    if (key == null) {
      return List.of();
    }
    Path dir = dirs.get(key);
    List<Path> changed = new ArrayList<>();
    for (WatchEvent<?> e : key.pollEvents()) {
      if (e.kind() == OVERFLOW || dir == null) {
        changed.add(root);
        registerQuietly(root);
        continue;
      }
      Path p = dir.resolve((Path) e.context());
      changed.add(p);
      if (e.kind() == ENTRY_CREATE
          && p.startsWith(root)
          && Files.isDirectory(p)
          && !ignored(root.relativize(p))) {
        // files may appear in it before it is registered: the build reads the whole tree anyway
        registerQuietly(p);
      }
    }
    if (!key.reset()) {
      dirs.remove(key); // deleted (or unmounted)
    }
    if (!Files.isDirectory(root)) {
      throw new GoneException("the source directory " + root + " is gone");
    }
    if (!Files.isDirectory(manifestDir)) {
      throw new GoneException("the manifest's directory " + manifestDir + " is gone");
    }
    return changed;
  }

  @Override
  public void close() {
    try {
      service.close();
    } catch (IOException e) {
      // nothing to release beyond the inotify descriptor, which goes with the process
    }
  }

  private void registerQuietly(Path dir) {
    try {
      registerTree(dir);
    } catch (IOException e) {
      // deleted again before we got to it: its parent reports that
    }
  }

  /** Registers {@code top} and every directory below it that is not ignored, following links. */
  private void registerTree(Path top) throws IOException {
    Files.walkFileTree(
        top,
        EnumSet.of(FileVisitOption.FOLLOW_LINKS),
        Integer.MAX_VALUE,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs)
              throws IOException {
            if (!d.equals(root) && ignored(root.relativize(d))) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            register(d);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
            if (f.equals(top)) {
              throw e;
            }
            return FileVisitResult.CONTINUE; // a link loop, or deleted meanwhile
          }
        });
  }

  private void register(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException(dir + " is not a directory");
    }
    dirs.put(dir.register(service, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY), dir);
  }
}
