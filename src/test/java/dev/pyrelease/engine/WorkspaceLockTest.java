package dev.pyrelease.engine;

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
  void venvPyGivesTheSameContentMtimesAsJava() throws Exception {
    // venv.py sets them on its side and the assemble step then skips the tree: the two must agree,
    // or a build through another runner would miss Jib's cache for every file
    Path tree = Files.createDirectories(tmp.resolve("tree/lib/__pycache__"));
    Files.writeString(tmp.resolve("tree/a.py"), "x = 1\n");
    Files.write(tmp.resolve("tree/lib/__pycache__/b.pyc"), new byte[] {0, (byte) 0xff, 7, 0});
    Files.write(tmp.resolve("tree/empty"), new byte[0]);
    byte[] big = new byte[3 << 20];
    new java.util.Random(7).nextBytes(big);
    Files.write(tmp.resolve("tree/lib/big.so"), big);
    VenvPyFunction.run(tmp, "m.content_mtimes(sys.argv[2])", tmp.resolve("tree").toString());
    try (var files = Files.walk(tree.getParent().getParent())) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertThat(Files.getLastModifiedTime(f))
            .as(f.toString())
            .isEqualTo(WorkspaceLock.contentTime(f));
      }
    }
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
