package dev.pyrelease.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

  @Test
  void linksInsideTheSourceAreFollowedAndLinksOutOfItRefused() throws Exception {
    Path a = tmp.resolve("a");
    Files.createDirectories(a.resolve("static"));
    Files.writeString(a.resolve("static/site.css"), "body{}");
    Files.createSymbolicLink(a.resolve("style.css"), Path.of("static/site.css"));
    Files.createSymbolicLink(a.resolve("assets"), Path.of("static"));
    assertThat(SourceTree.files(a))
        .containsExactly("assets/site.css", "static/site.css", "style.css");
    Path b = tmp.resolve("b");
    SourceTree.copy(a, b);
    assertThat(Files.isSymbolicLink(b.resolve("style.css"))).isFalse();
    assertThat(Files.readString(b.resolve("style.css"))).isEqualTo("body{}");

    // a checkout whose link names a file of the machine (in the build Job: the git credentials
    // mounted beside the checkout) must not copy that file into the image
    Path secret = tmp.resolve("secrets/password");
    Files.createDirectories(secret.getParent());
    Files.writeString(secret, "hunter2");
    Files.createSymbolicLink(a.resolve("leak"), secret);
    assertThatThrownBy(() -> SourceTree.copy(a, tmp.resolve("c")))
        .isInstanceOf(BuildException.class)
        .hasMessageContaining("leak is a link to " + secret + ", outside the source")
        .hasMessageContaining("put the file itself in the source");
    assertThatThrownBy(() -> SourceTree.hash(a)).hasMessageContaining("outside the source");
    Files.delete(a.resolve("leak"));
    Files.createSymbolicLink(a.resolve("up"), Path.of(".."));
    assertThatThrownBy(() -> SourceTree.files(a)).hasMessageContaining("up is a link to ..");
    Files.delete(a.resolve("up"));

    Files.createSymbolicLink(a.resolve("gone.txt"), Path.of("nowhere/file"));
    assertThatThrownBy(() -> SourceTree.files(a))
        .isInstanceOf(BuildException.class)
        .hasMessageContaining("gone.txt is a link to nowhere/file, which does not exist");
  }
}
