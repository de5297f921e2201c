package dev.pyrelease.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code .dockerignore} rules as Docker reads them, and the source tree that leaves them out. */
class IgnoreFileTest {
  @TempDir Path tmp;

  static final String RULES =
      """
      # local files
      .env
      *.md
      tests/
      /build
      **/__snapshots__
      docs/**
      !docs/keep.txt
      secret?.txt
      [ab].log
      ./notes//draft.txt
      """;

  @Test
  void dockersRules() {
    IgnoreFile i = IgnoreFile.parse(RULES, ".dockerignore");
    // a top-level pattern: *.md matches README.md, not sub/README.md (* stays in one component)
    assertThat(i.excludes("README.md")).isTrue();
    assertThat(i.excludes("shop/README.md")).isFalse();
    assertThat(i.excludes(".env")).isTrue();
    assertThat(i.excludes("shop/.env")).isFalse();
    // a directory excludes what is in it; a leading or trailing slash changes nothing
    assertThat(i.excludes("tests")).isTrue();
    assertThat(i.excludes("tests/unit/test_views.py")).isTrue();
    assertThat(i.excludes("build/lib/x.py")).isTrue();
    assertThat(i.excludes("shop/build.py")).isFalse();
    // ** across components, none included
    assertThat(i.excludes("__snapshots__/a.snap")).isTrue();
    assertThat(i.excludes("shop/ui/__snapshots__/a.snap")).isTrue();
    // the last matching rule decides: ! includes again
    assertThat(i.excludes("docs/api/index.html")).isTrue();
    assertThat(i.excludes("docs/keep.txt")).isFalse();
    assertThat(i.excludes("secret1.txt")).isTrue();
    assertThat(i.excludes("secret12.txt")).isFalse();
    assertThat(i.excludes("a.log")).isTrue();
    assertThat(i.excludes("c.log")).isFalse();
    assertThat(i.excludes("notes/draft.txt")).isTrue();
    assertThat(i.excludes("shop/views.py")).isFalse();
    assertThat(IgnoreFile.parse("# nothing\n\n", "x").isEmpty()).isTrue();
  }

  @Test
  void aBadPatternNamesItsLine() {
    assertThatThrownBy(() -> IgnoreFile.parse(".env\n[oops\n", ".dockerignore"))
        .isInstanceOf(BuildException.class)
        .hasMessageContaining(".dockerignore:2: '[oops' is not a pattern");
  }

  @Test
  void theSourceLeavesOutWhatItExcludesAndItsHashIgnoresThem() throws Exception {
    Path src = tmp.resolve("src");
    Files.createDirectories(src.resolve("tests"));
    Files.createDirectories(src.resolve("shop"));
    Files.writeString(src.resolve("shop/views.py"), "x = 1\n");
    Files.writeString(src.resolve("README.md"), "readme\n");
    Files.writeString(src.resolve(".env"), "DATABASE_PASSWORD=hunter2\n");
    Files.writeString(src.resolve("tests/test_views.py"), "def test(): pass\n");
    // an ignored link to nowhere does not fail the build
    Files.createSymbolicLink(src.resolve("tests/gone"), Path.of("nowhere"));
    Files.writeString(src.resolve(".dockerignore"), ".env\n*.md\ntests\n");
    assertThat(SourceTree.files(src)).containsExactly(".dockerignore", "shop/views.py");
    String h = SourceTree.hash(src);
    Files.writeString(src.resolve(".env"), "DATABASE_PASSWORD=changed\n");
    assertThat(SourceTree.hash(src)).isEqualTo(h);
    Path copy = tmp.resolve("copy");
    SourceTree.copy(src, copy);
    assertThat(copy.resolve(".env")).doesNotExist();
    assertThat(copy.resolve("shop/views.py")).exists();
  }
}
