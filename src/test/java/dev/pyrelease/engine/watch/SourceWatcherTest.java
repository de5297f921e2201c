package dev.pyrelease.engine.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyrelease.engine.Workspace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@link SourceWatcher} (inotify) on a temp directory, driving the real {@link
 * RebuildLoop} with the real clock: what a build is told changed, and when no build happens.
 */
class SourceWatcherTest {
  @TempDir Path dir;
  Path src;
  Path manifest;
  SourceWatcher watcher;
  Thread loop;
  final BlockingQueue<List<Path>> builds = new LinkedBlockingQueue<>();
  final AtomicReference<Throwable> ended = new AtomicReference<>();

  /** What each build's check before tagging answered. */
  final BlockingQueue<Boolean> superseded = new LinkedBlockingQueue<>();

  /** Done during the next build, before its check: an edit made while a build runs. */
  final AtomicReference<Path> editDuringBuild = new AtomicReference<>();

  @BeforeEach
  void start() throws Exception {
    src = Files.createDirectories(dir.resolve("app"));
    write(src.resolve("shop/views.py"), "A = 1\n");
    Files.createDirectories(src.resolve(".git/objects"));
    Files.createDirectories(src.resolve("shop/__pycache__"));
    Files.createDirectories(dir.resolve("deploy"));
    manifest = write(dir.resolve("deploy/release.yaml"), "kind: PythonRelease\n");
    watcher = new SourceWatcher(src, manifest);
    RebuildLoop rebuild = new RebuildLoop(src, manifest, Set.of(), watcher::poll, System::nanoTime);
    loop =
        new Thread(
            () -> {
              try {
                rebuild.run(
                    (changed, isSuperseded) -> {
                      builds.add(changed);
                      Path edit = editDuringBuild.getAndSet(null);
                      try {
                        if (edit != null) {
                          write(edit, "EDITED = True\n");
                          Thread.sleep(50); // the event reaches the watch service
                        }
                      } catch (Exception e) {
                        throw new IllegalStateException(e);
                      }
                      superseded.add(isSuperseded.getAsBoolean());
                    });
                ended.set(new Exception("stopped"));
              } catch (Throwable t) {
                ended.set(t);
              }
            });
    loop.start();
    assertThat(nextBuild()).as("the first build, at the start").isEmpty();
  }

  @AfterEach
  void stop() throws Exception {
    watcher.close();
    loop.join(5000);
  }

  static Path write(Path file, String text) throws Exception {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  List<Path> nextBuild() throws InterruptedException {
    List<Path> b = builds.poll(10, TimeUnit.SECONDS);
    assertThat(b).as("a build within 10 s").isNotNull();
    return b;
  }

  /** No build for a while (a few settle periods and a scheduling hiccup). */
  void noBuild() throws InterruptedException {
    assertThat(builds.poll(400, TimeUnit.MILLISECONDS)).as("no build").isNull();
  }

  @Test
  void aModifiedFileRebuildsOnce() throws Exception {
    write(src.resolve("shop/views.py"), "A = 2\n");
    assertThat(nextBuild()).containsExactly(src.resolve("shop/views.py"));
    noBuild();
  }

  @Test
  void anEditDuringABuildSupersedesItAndIsBuiltNext() throws Exception {
    assertThat(superseded.poll(10, TimeUnit.SECONDS)).as("the first build's check").isFalse();
    editDuringBuild.set(src.resolve("shop/models.py"));
    write(src.resolve("shop/views.py"), "A = 2\n");
    assertThat(nextBuild()).containsExactly(src.resolve("shop/views.py"));
    assertThat(superseded.poll(10, TimeUnit.SECONDS)).as("models.py came during it").isTrue();
    assertThat(nextBuild()).containsExactly(src.resolve("shop/models.py"));
    assertThat(superseded.poll(10, TimeUnit.SECONDS)).isFalse();
    noBuild();
  }

  @Test
  void aFileInANewSubdirectoryRebuildsAndTheDirectoryIsWatchedFromThenOn() throws Exception {
    write(src.resolve("shop/api/v2/handlers.py"), "X = 1\n");
    assertThat(nextBuild()).contains(src.resolve("shop/api"));
    noBuild();
    // a change deep inside the new directory: only seen if it was registered
    write(src.resolve("shop/api/v2/handlers.py"), "X = 2\n");
    assertThat(nextBuild()).containsExactly(src.resolve("shop/api/v2/handlers.py"));
  }

  @Test
  void theManifestRebuildsItsNeighboursDoNot() throws Exception {
    write(dir.resolve("deploy/other.yaml"), "x: 1\n");
    noBuild();
    write(manifest, "kind: PythonRelease\n# edited\n");
    assertThat(nextBuild()).containsExactly(manifest);
  }

  @Test
  void ignoredFilesDoNotRebuild() throws Exception {
    write(src.resolve(".git/index"), "x");
    write(src.resolve(".git/objects/ab/cdef"), "x");
    write(src.resolve("shop/__pycache__/views.cpython-311.pyc"), "x");
    write(src.resolve("shop/views.pyc"), "x");
    write(src.resolve("shop/.views.py.swp"), "x");
    write(src.resolve("shop/views.py~"), "x");
    write(src.resolve("shop/.#views.py"), "x");
    noBuild();
    // and they are not reported along with a real change
    write(src.resolve("shop/views.py"), "A = 3\n");
    assertThat(nextBuild()).containsExactly(src.resolve("shop/views.py"));
  }

  @Test
  void aDeletedSourceDirectoryEndsTheLoop() throws Exception {
    Workspace.deleteTree(src);
    loop.join(10_000);
    assertThat(loop.isAlive()).isFalse();
    assertThat(ended.get())
        .isInstanceOf(SourceWatcher.GoneException.class)
        .hasMessageContaining(src + " is gone");
  }

  @Test
  void closingTheWatcherEndsTheLoopQuietly() throws Exception {
    watcher.close();
    loop.join(5000);
    assertThat(loop.isAlive()).isFalse();
    assertThat(ended.get()).hasMessage("stopped");
  }
}
