package dev.pyrelease.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceLockTest {
  @TempDir Path tmp;

  @Test
  void mtimesFollowContentSoThatJibsCacheCannotServeAStaleLayer() throws Exception {
    Path a = tmp.resolve("a.py");
    Files.writeString(a, "x = 1\n");
    WorkspaceLock.contentMtimes(tmp);
    var first = Files.getLastModifiedTime(a);

    Files.writeString(a, "x = 1\n"); // rewritten, same content
    WorkspaceLock.contentMtimes(tmp);
    assertThat(Files.getLastModifiedTime(a)).isEqualTo(first);

    Files.writeString(a, "x = 2\n"); // same path and size, new content
    WorkspaceLock.contentMtimes(tmp);
    assertThat(Files.getLastModifiedTime(a)).isNotEqualTo(first);
  }

  @Test
  void oneWorkspacePerRepositoryHeldByOneBuildAtATime() {
    try (WorkspaceLock l = WorkspaceLock.tryAcquire(tmp, "127.0.0.1:5000/web/shop")) {
      assertThat(l).isNotNull();
      assertThat(Files.isDirectory(l.dir())).isTrue();
      assertThat(WorkspaceLock.tryAcquire(tmp, "127.0.0.1:5000/web/shop")).isNull();
      try (WorkspaceLock other = WorkspaceLock.tryAcquire(tmp, "127.0.0.1:5000/web/cart")) {
        assertThat(other).isNotNull();
        assertThat(other.dir()).isNotEqualTo(l.dir());
      }
    }
    try (WorkspaceLock again = WorkspaceLock.tryAcquire(tmp, "127.0.0.1:5000/web/shop")) {
      assertThat(again).isNotNull();
    }
  }
}
