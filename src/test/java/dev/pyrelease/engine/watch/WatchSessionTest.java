package dev.pyrelease.engine.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pyrelease.engine.BuildSuperseded;
import dev.pyrelease.engine.Workspace;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The session's own lines around builds that fail in every way a build can: superseded, a bug, and
 * the source deleted (the end; the workspace released). SIGTERM: {@code WatchIntegrationTest}.
 */
class WatchSessionTest {
  @TempDir Path dir;

  @Test
  void reportsEachBuildsEndAndEndsWhenTheSourceIsGone() throws Exception {
    Path src = Files.createDirectories(dir.resolve("src"));
    Path manifest = Files.writeString(dir.resolve("release.yaml"), "kind: PythonRelease\n");
    StringWriter err = new StringWriter();
    List<RuntimeException> bugs = new ArrayList<>();
    AtomicInteger released = new AtomicInteger();
    AtomicInteger builds = new AtomicInteger();
    WatchSession session =
        WatchSession.open(
            src,
            manifest,
            Set.of(),
            new PrintWriter(new StringWriter()),
            new PrintWriter(err, true));
    WatchSession.Build build =
        new WatchSession.Build() {
          @Override
          public void run(BooleanSupplier superseded) {
            try {
              switch (builds.incrementAndGet()) {
                case 1 -> Files.writeString(src.resolve("app.py"), "print(1)\n");
                case 2 -> {
                  Files.writeString(src.resolve("app.py"), "print(2)\n");
                  throw new IllegalStateException("a bug");
                }
                case 3 -> {
                  Files.writeString(src.resolve("app.py"), "print(3)\n");
                  throw new BuildSuperseded("the source changed while x was built");
                }
                default -> Workspace.deleteTree(src);
              }
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }

          @Override
          public void internalError(RuntimeException e) {
            bugs.add(e);
          }
        };

    assertThatThrownBy(() -> session.run(build, released::incrementAndGet, end -> {}))
        .isInstanceOf(SourceWatcher.GoneException.class)
        .hasMessageContaining("is gone");
    assertThat(builds.get()).isEqualTo(4);
    assertThat(bugs).extracting(Throwable::getMessage).containsExactly("a bug");
    assertThat(released.get()).isPositive();
    assertThat(err.toString())
        .startsWith("[watch] watching " + src + " and " + manifest)
        .contains("[watch] changed: app.py")
        .contains("[watch] the source changed while x was built; building the newer source")
        .contains("[watch] watching for changes");
  }
}
