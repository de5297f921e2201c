package dev.pyrelease.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceTreeTest {
  @TempDir Path tmp;

  @Test
  void hashCoversContentPathsAndExecBitsButNotCaches() throws Exception {
    Path a = tmp.resolve("a");
    Files.createDirectories(a.resolve("shop/__pycache__"));
    Files.createDirectories(a.resolve(".git"));
    Files.writeString(a.resolve("shop/views.py"), "x = 1\n");
    Files.writeString(a.resolve("manage.py"), "print()\n");
    String h = SourceTree.hash(a);
    assertThat(h).startsWith("tree:sha256:");
    assertThat(SourceTree.files(a)).containsExactly("manage.py", "shop/views.py");

    Files.writeString(a.resolve("shop/__pycache__/views.cpython-311.pyc"), "junk");
    Files.writeString(a.resolve(".git/HEAD"), "ref: x");
    assertThat(SourceTree.hash(a)).isEqualTo(h);

    a.resolve("manage.py").toFile().setExecutable(true);
    String exec = SourceTree.hash(a);
    assertThat(exec).isNotEqualTo(h);

    Files.writeString(a.resolve("shop/views.py"), "x = 2\n");
    assertThat(SourceTree.hash(a)).isNotEqualTo(exec);
  }

  @Test
  void copyKeepsExecBitsAndReplacesOldContent() throws Exception {
    Path a = tmp.resolve("a");
    Files.createDirectories(a.resolve("bin"));
    Files.writeString(a.resolve("bin/run"), "#!/bin/sh\n");
    a.resolve("bin/run").toFile().setExecutable(true);
    Path b = tmp.resolve("b");
    Files.createDirectories(b);
    Files.writeString(b.resolve("stale"), "old");
    assertThat(SourceTree.copy(a, b)).isEqualTo(1);
    assertThat(Files.exists(b.resolve("stale"))).isFalse();
    assertThat(Files.isExecutable(b.resolve("bin/run"))).isTrue();
    assertThat(SourceTree.hash(b)).isEqualTo(SourceTree.hash(a));
  }
}
