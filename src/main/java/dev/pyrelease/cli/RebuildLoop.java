package dev.pyrelease.cli;

import dev.pyrelease.build.SourceWatcher;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * When {@code build --watch} rebuilds: once at the start, then once per settled change. A change is
 * settled when {@link #SETTLE} has passed without another relevant event. Builds run on the
 * caller's thread, one at a time: changes made during a build wait in the event source and cause
 * exactly one build after it, however many there were. No IO here: the events come from {@link
 * Changes} (a {@link SourceWatcher}, or a fake in tests) and time from a nanosecond clock.
 */
final class RebuildLoop {
  /**
   * Quiet time before a rebuild. An editor's save is several events a few milliseconds apart (write
   * a temp file, rename it over the file, set attributes; or truncate, then write), as is a {@code
   * git checkout} of many files: 30 ms without an event means the save is over, and it is short
   * next to an app-only rebuild, so the wait is not felt.
   */
  static final Duration SETTLE = Duration.ofMillis(30);

  /** Where changed paths come from. */
  interface Changes {
    /**
     * The paths that changed, waiting at most {@code timeoutNanos} (without limit when negative);
     * empty when nothing happened in that time.
     *
     * @throws ClosedWatchServiceException when watching was stopped
     * @throws SourceWatcher.GoneException when there is nothing left to watch
     */
    List<Path> poll(long timeoutNanos) throws InterruptedException;
  }

  private final Path source;
  private final Path manifest;
  private final Set<Path> outputs;
  private final Changes changes;
  private final LongSupplier nanoTime;

  /**
   * @param source the source tree: a change anywhere in it matters, except {@link
   *     SourceWatcher#ignored} paths
   * @param manifest the release manifest: its changes matter, not its neighbours'
   * @param outputs what the builds themselves write (a --tar file, the workspace): never a reason
   *     to build again, even inside the source tree
   */
  RebuildLoop(
      Path source, Path manifest, Set<Path> outputs, Changes changes, LongSupplier nanoTime) {
    this.source = absolute(source);
    this.manifest = absolute(manifest);
    this.outputs =
        outputs.stream().map(RebuildLoop::absolute).collect(java.util.stream.Collectors.toSet());
    this.changes = changes;
    this.nanoTime = nanoTime;
  }

  /**
   * Builds, then builds again after each settled change, until the changes end. {@code build}
   * receives the relevant paths that changed since the last build (none for the first one).
   *
   * @throws SourceWatcher.GoneException when there is nothing left to watch
   * @throws InterruptedException when interrupted while waiting
   */
  void run(Consumer<List<Path>> build) throws InterruptedException {
    build.accept(List.of());
    try {
      while (true) {
        Set<Path> pending = new LinkedHashSet<>(relevant(changes.poll(-1)));
        if (pending.isEmpty()) {
          continue;
        }
        long quietSince = nanoTime.getAsLong();
        while (true) {
          long left = SETTLE.toNanos() - (nanoTime.getAsLong() - quietSince);
          if (left <= 0) {
            break;
          }
          List<Path> more = relevant(changes.poll(left));
          if (!more.isEmpty()) {
            pending.addAll(more);
            quietSince = nanoTime.getAsLong();
          }
        }
        build.accept(List.copyOf(pending));
      }
    } catch (ClosedWatchServiceException e) {
      // stopped
    }
  }

  /** The paths among {@code changed} that can change a build's result. */
  List<Path> relevant(List<Path> changed) {
    List<Path> out = new ArrayList<>();
    for (Path p : changed) {
      Path a = absolute(p);
      if (outputs.stream().anyMatch(a::startsWith)) {
        continue;
      }
      if (a.equals(manifest)
          || (a.startsWith(source) && !SourceWatcher.ignored(source.relativize(a)))) {
        out.add(a);
      }
    }
    return out;
  }

  private static Path absolute(Path p) {
    return p.toAbsolutePath().normalize();
  }
}
