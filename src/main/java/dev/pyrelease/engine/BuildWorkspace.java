package dev.pyrelease.engine;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The workspace of one {@code build} run: {@code --workspace} (kept), else the per-repository one
 * under the cache directory, held with its lock until {@link #close()} (for a {@code --watch}
 * session that is all its builds, so that Jib's layer cache hits on every rebuild), else a
 * temporary one, deleted by {@link #close()}. Chosen on first use and the same afterwards, also
 * when a later build names another repository: the directory is this run's alone while it is open.
 * {@link #close()} may be called more than once and from another thread.
 */
public final class BuildWorkspace implements AutoCloseable {
  private final Path given;
  private final Path locks;
  private final PrintWriter err;
  private Path dir;
  private WorkspaceLock lock;
  private boolean temporary;
  private boolean closed;

  /**
   * @param given {@code --workspace}, or null
   * @param jibCache Jib's cache directory (the workspaces live beside it), or null for none
   */
  public BuildWorkspace(Path given, Path jibCache, PrintWriter err) {
    this.given = given;
    this.locks = jibCache == null ? null : jibCache.resolveSibling(jibCache.getFileName() + "-ws");
    this.err = err;
  }

  /** The workspace directory, for a build pushing to {@code repository}. */
  public synchronized Path dir(String repository) throws IOException {
    if (closed) {
      throw new IOException("the build is ending");
    }
    if (dir == null) {
      if (given != null) {
        dir = given;
      } else {
        lock = locks == null ? null : WorkspaceLock.tryAcquire(locks, repository);
        if (lock != null) {
          dir = lock.dir();
        } else {
          dir = Files.createTempDirectory("pyrelease-build-");
          temporary = true;
        }
      }
    }
    return dir;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (lock != null) {
      lock.close();
    }
    if (temporary) {
      try {
        Workspace.deleteTree(dir);
      } catch (BuildException e) {
        err.println("pyrelease build: warning: " + e.getMessage());
      }
    }
  }
}
