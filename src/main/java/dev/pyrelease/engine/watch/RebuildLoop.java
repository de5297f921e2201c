package dev.pyrelease.engine.watch;

import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * When {@code build --watch} rebuilds: once at the start, then once per settled change. A change is
 * settled when {@link #SETTLE} has passed without another relevant event. Builds run on the
 * caller's thread, one at a time: changes made during a build wait in the event source and cause
 * exactly one build after it, however many there were. A build can also ask, just before it tags
 * its image, whether a change came since it began ({@link Build#run}'s {@code superseded}): then it
 * tags nothing, since its tag would name files it may not have read whole, and the change is built
 * next. No IO here: the events come from {@link Changes} (a {@link SourceWatcher}, or a fake in
 * tests) and time from a nanosecond clock.
 */
final class RebuildLoop {
  /**
   * Quiet time before a rebuild. An editor's save is several events up to ~1.5 ms apart (measured:
   * vim writes a swap file, renames, writes, sets attributes), so 10 ms without an event means the
   * save is over, and it is short next to an app-only rebuild (~60 ms). A {@code git checkout} of
   * 300 files here had gaps of up to 15 ms between events: a build may start in the middle of one,
   * and then the {@code superseded} check keeps its image untagged.
   */
  static final Duration SETTLE = Duration.ofMillis(10);

  /** One build. */
  interface Build {
    /**
     * @param changed the relevant paths that changed since the last build (none for the first)
     * @param superseded whether a relevant change came since this build began; asks the event
     *     source without waiting, on the caller's thread
     */
    void run(List<Path> changed, BooleanSupplier superseded);
  }

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
   * Builds, then builds again after each settled change, until the changes end.
   *
   * @throws SourceWatcher.GoneException when there is nothing left to watch
   * @throws InterruptedException when interrupted while waiting
   */
  void run(Build build) throws InterruptedException {
    Superseded superseded = new Superseded();
    try {
      superseded.build(build, List.of());
      while (true) {
        Set<Path> pending = superseded.takeSeen();
        if (pending.isEmpty()) {
          pending.addAll(relevant(changes.poll(-1)));
        }
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
        superseded.build(build, List.copyOf(pending));
      }
    } catch (ClosedWatchServiceException e) {
      // stopped
    }
  }

  /**
   * The check a build makes before it tags: it takes the events waiting now, and keeps the relevant
   * ones for the next build (they are that build's changes, and the quiet time starts from them).
   */
  private final class Superseded implements BooleanSupplier {
    private final Set<Path> seen = new LinkedHashSet<>();
    private SourceWatcher.GoneException gone;
    private boolean interrupted;

    void build(Build build, List<Path> changed) throws InterruptedException {
      build.run(changed, this);
      if (interrupted) {
        throw new InterruptedException();
      }
      if (gone != null) {
        throw gone;
      }
    }

    Set<Path> takeSeen() {
      Set<Path> out = new LinkedHashSet<>(seen);
      seen.clear();
      return out;
    }

    @Override
    public boolean getAsBoolean() {
      try {
        for (List<Path> more = changes.poll(0); !more.isEmpty(); more = changes.poll(0)) {
          seen.addAll(relevant(more));
        }
      } catch (ClosedWatchServiceException e) {
        // stopping is not a change: the build in progress ends as it would have
      } catch (SourceWatcher.GoneException e) {
        gone = e; // the loop ends after this build, which has nothing left to tag
        return true;
      } catch (InterruptedException e) {
        interrupted = true;
        return true;
      }
      return !seen.isEmpty();
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
