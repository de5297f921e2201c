package dev.pyrelease.engine.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The settle/coalesce decision on a fake clock with scripted events: no threads, no sleeps. */
class RebuildLoopTest {
  static final Path SRC = Path.of("/work/app");
  static final Path MANIFEST = Path.of("/work/deploy/release.yaml");
  static final long MS = 1_000_000L;

  /**
   * Events at fixed times on a fake clock. Waiting for events moves the clock to the next event (or
   * by the whole timeout when none comes in time); a build moves it by its duration, so events
   * scheduled during a build are waiting when it ends. When no events are left, waiting without a
   * limit ends the loop as closing the watcher does.
   */
  static final class Script implements RebuildLoop.Changes {
    long now;
    final TreeMap<Long, List<Path>> events = new TreeMap<>();
    long buildMillis = 100;
    final List<Long> buildsAt = new ArrayList<>();
    final List<List<Path>> changes = new ArrayList<>();

    /** What each build's check before tagging (at its end) answered. */
    final List<Boolean> superseded = new ArrayList<>();

    RuntimeException end = new ClosedWatchServiceException();

    /** From this time on (ms) polls throw {@link #end}, as a closed or lost watcher does. */
    long endsAt = Long.MAX_VALUE;

    Script at(long millis, String... paths) {
      List<Path> list = events.computeIfAbsent(millis * MS, t -> new ArrayList<>());
      for (String p : paths) {
        list.add(p.startsWith("/") ? Path.of(p) : SRC.resolve(p));
      }
      return this;
    }

    @Override
    public List<Path> poll(long timeoutNanos) {
      if (now / MS >= endsAt) {
        throw end;
      }
      Map.Entry<Long, List<Path>> next = events.firstEntry();
      if (next != null && (timeoutNanos < 0 || next.getKey() <= now + timeoutNanos)) {
        events.remove(next.getKey());
        now = Math.max(now, next.getKey());
        return next.getValue();
      }
      if (timeoutNanos < 0) {
        throw end;
      }
      now += timeoutNanos;
      return List.of();
    }

    void build(List<Path> changed, BooleanSupplier isSuperseded) {
      buildsAt.add(now / MS);
      changes.add(changed);
      now += buildMillis * MS;
      superseded.add(isSuperseded.getAsBoolean());
    }

    Script run() throws InterruptedException {
      new RebuildLoop(SRC, MANIFEST, Set.of(), this, () -> now).run(this::build);
      return this;
    }
  }

  @Test
  void buildsAtTheStartThenOnceTheSettlePeriodPassedQuietly() throws Exception {
    Script s = new Script().at(500, "shop/views.py").run();
    assertThat(RebuildLoop.SETTLE.toMillis()).isEqualTo(10);
    assertThat(s.buildsAt).containsExactly(0L, 510L);
    assertThat(s.superseded).containsExactly(false, false);
    assertThat(s.changes).containsExactly(List.of(), List.of(SRC.resolve("shop/views.py")));
  }

  @Test
  void aBurstWithinTheSettlePeriodIsOneBuild() throws Exception {
    // an editor's save: temp file, rename, attributes; each event restarts the quiet time
    Script s =
        new Script()
            .at(500, "shop/views.py")
            .at(505, "shop/views.py")
            .at(512, "shop/urls.py")
            .at(521, "shop/views.py")
            .run();
    assertThat(s.buildsAt).containsExactly(0L, 531L);
    assertThat(s.changes.get(1))
        .containsExactly(SRC.resolve("shop/views.py"), SRC.resolve("shop/urls.py"));
  }

  @Test
  void changesFartherApartThanTheSettlePeriodAreBuiltEach() throws Exception {
    Script s = new Script().at(500, "a.py").at(511, "b.py").run();
    // the first waits out its quiet time (510), builds until 610 (b.py came during it, so it tags
    // nothing), then b.py is built after its own quiet time
    assertThat(s.buildsAt).containsExactly(0L, 510L, 620L);
    assertThat(s.superseded).containsExactly(false, true, false);
    assertThat(s.changes.get(2)).containsExactly(SRC.resolve("b.py"));
  }

  @Test
  void changesDuringABuildCauseExactlyOneBuildAfterIt() throws Exception {
    Script s = new Script();
    s.buildMillis = 1000;
    // all during the first build (0..1000), in several directories
    s.at(100, "a.py").at(300, "pkg/b.py").at(700, "a.py").at(990, MANIFEST.toString()).run();
    assertThat(s.buildsAt).containsExactly(0L, 1010L);
    assertThat(s.superseded).containsExactly(true, false);
    assertThat(s.changes.get(1))
        .containsExactlyInAnyOrder(SRC.resolve("a.py"), SRC.resolve("pkg/b.py"), MANIFEST);
  }

  @Test
  void changesDuringTheFollowUpBuildCauseOneMore() throws Exception {
    Script s = new Script();
    s.buildMillis = 1000;
    s.at(100, "a.py").at(1500, "a.py").at(1600, "b.py").run();
    assertThat(s.buildsAt).containsExactly(0L, 1010L, 2020L);
    assertThat(s.superseded).containsExactly(true, true, false);
  }

  @Test
  void ignoredPathsNeitherBuildNorDelayABuild() throws Exception {
    Script s =
        new Script()
            .at(
                100,
                ".git/index",
                ".git/objects/ab/cdef",
                "shop/__pycache__/views.cpython-311.pyc",
                "shop/views.pyc",
                "shop/.views.py.swp",
                "shop/views.py~",
                "shop/.#views.py",
                "shop.egg-info/PKG-INFO",
                "/work/deploy/other.yaml", // the manifest's neighbour
                "/work/elsewhere/x.py")
            .run();
    assertThat(s.buildsAt).containsExactly(0L);
    assertThat(s.superseded).containsExactly(false); // they came during the first build

    // inside a settle period they do not restart the quiet time
    s = new Script().at(500, "shop/views.py").at(505, ".git/index").at(509, "x.py~").run();
    assertThat(s.buildsAt).containsExactly(0L, 510L);
    assertThat(s.changes.get(1)).containsExactly(SRC.resolve("shop/views.py"));
  }

  @Test
  void theManifestAndTheSourceRootCount() throws Exception {
    // the root itself: what the watcher reports when events were lost
    Script s = new Script().at(500, MANIFEST.toString()).at(1000, SRC.toString()).run();
    assertThat(s.buildsAt).containsExactly(0L, 510L, 1010L);
  }

  @Test
  void whatTheBuildsWriteIsNoReasonToBuild() throws Exception {
    Script s = new Script().at(500, "out/shop.tar").at(600, "ws/src/a.py");
    new RebuildLoop(
            SRC, MANIFEST, Set.of(SRC.resolve("out/shop.tar"), SRC.resolve("ws")), s, () -> s.now)
        .run(s::build);
    assertThat(s.buildsAt).containsExactly(0L);
  }

  @Test
  void aGoneSourceEndsTheLoopWithItsReason() {
    Script s = new Script().at(500, "a.py");
    s.end = new SourceWatcher.GoneException("the source directory /work/app is gone");
    assertThatThrownBy(s::run)
        .isInstanceOf(SourceWatcher.GoneException.class)
        .hasMessageContaining("/work/app is gone");
    assertThat(s.buildsAt).containsExactly(0L, 510L);
  }

  @Test
  void aBuildSeesAChangeMadeDuringItAndItIsBuiltNext() throws Exception {
    // a git checkout that pauses longer than the settle time: the build that starts in its middle
    // is told so before it tags, and the rest of the checkout is built once
    Script s = new Script().at(500, "a.py").at(550, "b.py", "c.py").at(560, "d.py").run();
    assertThat(s.buildsAt).containsExactly(0L, 510L, 620L);
    assertThat(s.superseded).containsExactly(false, true, false);
    assertThat(s.changes.get(2))
        .containsExactly(SRC.resolve("b.py"), SRC.resolve("c.py"), SRC.resolve("d.py"));
  }

  @Test
  void aSourceGoneDuringABuildSupersedesItAndEndsTheLoop() {
    Script s = new Script().at(500, "a.py");
    s.end = new SourceWatcher.GoneException("the source directory /work/app is gone");
    s.endsAt = 550;
    assertThatThrownBy(s::run)
        .isInstanceOf(SourceWatcher.GoneException.class)
        .hasMessageContaining("/work/app is gone");
    assertThat(s.buildsAt).containsExactly(0L, 510L);
    assertThat(s.superseded).containsExactly(false, true);
  }

  @Test
  void stoppingDuringABuildLetsItTagAndEndsTheLoop() throws Exception {
    Script s = new Script().at(500, "a.py");
    s.endsAt = 550; // the watcher is closed by SIGTERM during the second build
    s.run();
    assertThat(s.buildsAt).containsExactly(0L, 510L);
    assertThat(s.superseded).containsExactly(false, false);
  }
}
