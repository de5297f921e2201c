package dev.pyrelease.engine.watch;

import dev.pyrelease.engine.BuildSuperseded;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * {@code build --watch}: builds, then builds again after every settled change of the source or the
 * manifest ({@link RebuildLoop} on a {@link SourceWatcher}), until SIGINT/SIGTERM or until the
 * source is gone. Each build reports its own result; this class says what is watched, what changed
 * and which build was superseded, on stderr as {@code [watch] ...} lines.
 */
public final class WatchSession {
  /**
   * Seconds a stop (SIGINT/SIGTERM) waits for a build in progress to end before the process ends
   * anyway: an app-only rebuild ends well within it; a venv step would not, and is abandoned (the
   * release tag is written last, so nothing points at a half-pushed image).
   */
  private static final int STOP_GRACE_SECONDS = 5;

  /** One build of the session. */
  public interface Build {
    /**
     * Builds and reports the result or the failure (a failed build is no reason to stop).
     *
     * @param superseded asked before the release is tagged (see {@link RebuildLoop.Build})
     * @throws BuildSuperseded when {@code superseded} answered true: nothing was tagged
     */
    void run(BooleanSupplier superseded);

    /** Reports a bug in a build (not bad input); watching goes on. */
    void internalError(RuntimeException e);
  }

  /** How watching ended, for the process's exit code. */
  public enum End {
    STOPPED,
    SOURCE_GONE
  }

  private final Path source;
  private final Path manifest;
  private final Set<Path> outputs;
  private final SourceWatcher watcher;
  private final PrintWriter out;
  private final PrintWriter err;

  private WatchSession(
      Path source,
      Path manifest,
      Set<Path> outputs,
      SourceWatcher watcher,
      PrintWriter out,
      PrintWriter err) {
    this.source = source;
    this.manifest = manifest;
    this.outputs = Set.copyOf(outputs);
    this.watcher = watcher;
    this.out = out;
    this.err = err;
  }

  /**
   * Starts watching {@code source} (recursively) and {@code manifest}.
   *
   * @param outputs what the builds write (a --tar file, the workspace): never a reason to rebuild
   * @throws IOException when they cannot be watched
   */
  public static WatchSession open(
      Path source, Path manifest, Set<Path> outputs, PrintWriter out, PrintWriter err)
      throws IOException {
    return new WatchSession(
        source, manifest, outputs, new SourceWatcher(source, manifest), out, err);
  }

  /**
   * Builds until stopped. SIGINT/SIGTERM stop watching, give a build in progress a few seconds to
   * end, run {@code release}, and end the process with {@code halt}: that is how a session is meant
   * to end. When this returns or throws, the watcher is closed and {@code release} has run.
   *
   * @param release frees what the builds hold (the workspace); may run twice, and on another thread
   * @param halt ends the process (out and err are flushed), given how watching ended
   * @throws SourceWatcher.GoneException when the source (or the manifest's directory) is gone
   */
  public void run(Build build, Runnable release, Consumer<End> halt) {
    AtomicReference<End> end = new AtomicReference<>(End.STOPPED);
    CountDownLatch ended = new CountDownLatch(1);
    Thread stop =
        new Thread(
            () -> {
              watcher.close();
              try {
                ended.await(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              release.run();
              err.println("[watch] stopped");
              out.flush();
              err.flush();
              halt.accept(end.get());
            },
            "pyrelease-watch-stop");
    Runtime.getRuntime().addShutdownHook(stop);
    err.println(
        "[watch] watching "
            + source
            + " and "
            + manifest
            + "; a change rebuilds (SIGINT/SIGTERM ends)");
    try {
      new RebuildLoop(source, manifest, outputs, watcher::poll, System::nanoTime)
          .run((changed, superseded) -> buildOnce(build, changed, superseded));
    } catch (SourceWatcher.GoneException e) {
      end.set(End.SOURCE_GONE); // for a stop that comes now
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      watcher.close();
      release.run();
      ended.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(stop);
      } catch (IllegalStateException e) {
        // the process is stopping: the hook ends it
      }
    }
  }

  private void buildOnce(Build build, List<Path> changed, BooleanSupplier superseded) {
    if (!changed.isEmpty()) {
      err.println("[watch] changed: " + describe(changed));
    }
    try {
      build.run(superseded);
    } catch (BuildSuperseded e) {
      // no result reported: a consumer of results gets one per image built, and this one is not
      err.println("[watch] " + e.getMessage() + "; building the newer source");
    } catch (RuntimeException e) {
      build.internalError(e);
    }
    err.println("[watch] watching for changes");
  }

  private String describe(List<Path> changed) {
    Path root = source.toAbsolutePath().normalize();
    String first =
        changed.get(0).startsWith(root)
            ? root.relativize(changed.get(0)).toString()
            : changed.get(0).toString();
    return changed.size() == 1 ? first : first + " and " + (changed.size() - 1) + " more";
  }
}
