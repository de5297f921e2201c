package dev.pyrelease.source.jgit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pyrelease.source.SourceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A commit written into a directory: modes, links kept inside the tree, links out refused. */
class TreeCheckoutTest extends ResolverFixture {
  @Test
  void checkoutWritesFilesModesAndLinks() throws Exception {
    Path out = tmp.resolve("src");
    Files.createDirectories(out.resolve("stale"));
    Files.writeString(out.resolve("stale/old.txt"), "old");
    JGitResolver.Checkout co = resolver.materialize(repo.url, repo.c3, "", out, none);
    assertThat(co.root()).isEqualTo(out);
    assertThat(co.files()).isEqualTo(4);
    assertThat(co.links()).isEqualTo(2);
    assertThat(out.resolve("stale")).doesNotExist();
    assertThat(out.resolve(".git")).doesNotExist();
    assertThat(Files.readString(out.resolve("requirements/prod.txt"))).contains("5.2.18");
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("bin/run.sh"))))
        .isEqualTo("rwxr-xr-x");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(out.resolve("requirements/base.txt"))))
        .isEqualTo("rw-r--r--");
    assertThat(Files.isSymbolicLink(out.resolve("reqs"))).isTrue();
    assertThat(Files.readSymbolicLink(out.resolve("reqs"))).isEqualTo(Path.of("requirements"));
    assertThat(Files.readString(out.resolve("reqs/current.txt"))).contains("5.2.18");
    assertThat(out.resolve("app/__init__.py")).exists();
    assertThat(out.resolve("dev.txt")).doesNotExist();
  }

  @Test
  void checkoutThroughThePort() {
    Path out = resolver.checkout(repo.url, repo.c2, tmp.resolve("ws/src"), none);
    assertThat(out.resolve("dev.txt")).hasContent("dev");
  }

  @Test
  void materializeASubdirectory() throws Exception {
    Path out =
        resolver.materialize(repo.url, repo.c1, "requirements", tmp.resolve("m"), none).root();
    assertThat(out).isEqualTo(tmp.resolve("m/requirements"));
    assertThat(Files.readString(out.resolve("prod.txt"))).contains("5.2.17");
    assertThat(tmp.resolve("m/bin")).doesNotExist();
    // through a link to a directory
    Path viaLink = resolver.materialize(repo.url, repo.c1, "reqs", tmp.resolve("m2"), none).root();
    assertThat(viaLink.resolve("base.txt")).exists();
    assertThat(tmp.resolve("m2/reqs/base.txt")).exists();
  }

  @Test
  void linksOutOfTheTreeAreRefused() throws Exception {
    String up = repo.commitLink("requirements/evil.txt", "../../../../etc/passwd");
    String abs = repo.commitLink("requirements/abs.txt", "/etc/passwd");
    for (String c : List.of(up, abs)) {
      SourceException e =
          catchThrowableOfType(
              () -> resolver.checkout(repo.url, c, tmp.resolve("out"), none),
              SourceException.class);
      assertThat(e.kind()).isEqualTo(SourceException.Kind.INVALID);
      assertThat(e.getMessage())
          .contains(c.equals(up) ? "requirements/evil.txt" : "requirements/abs.txt")
          .contains("outside the repository")
          .contains(c.substring(0, 12));
    }
  }

  @Test
  void missingAndBadSubdirectories() {
    SourceException missing =
        catchThrowableOfType(
            () -> resolver.materialize(repo.url, repo.c3, "dev", tmp.resolve("m"), none),
            SourceException.class);
    assertThat(missing.kind()).isEqualTo(SourceException.Kind.PATH_NOT_FOUND);
    assertThat(missing.getMessage()).contains("'dev'").contains(repo.c3.substring(0, 12));
    SourceException file =
        catchThrowableOfType(
            () -> resolver.materialize(repo.url, repo.c3, "bin/run.sh", tmp.resolve("m"), none),
            SourceException.class);
    assertThat(file.kind()).isEqualTo(SourceException.Kind.PATH_NOT_FOUND);
    for (String bad : List.of("../etc", "/etc", "requirements/../../x")) {
      assertThat(
              catchThrowableOfType(
                      () -> resolver.materialize(repo.url, repo.c3, bad, tmp.resolve("m"), none),
                      SourceException.class)
                  .kind())
          .as(bad)
          .isEqualTo(SourceException.Kind.INVALID);
    }
  }
}
