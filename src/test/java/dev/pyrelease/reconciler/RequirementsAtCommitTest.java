package dev.pyrelease.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyrelease.source.GitResolver;
import org.junit.jupiter.api.Test;

/** Requirements read file by file at a commit, includes followed inside the tree. */
class RequirementsAtCommitTest {
  @Test
  void findsIncludesInEverySpelling() {
    assertThat(
            RequirementsAtCommit.includes(
                "-r base.txt\n-cconstraints.txt\n--requirement=a/b.txt\n  --constraint c.txt\ndjango==5\n"))
        .containsExactly("base.txt", "constraints.txt", "a/b.txt", "c.txt");
  }

  @Test
  void resolvesRelativeToTheIncludingFileAndStaysInTheTree() {
    assertThat(RequirementsAtCommit.resolve("requirements/prod.txt", "base.txt"))
        .isEqualTo("requirements/base.txt");
    assertThat(RequirementsAtCommit.resolve("requirements/prod.txt", "../common.txt"))
        .isEqualTo("common.txt");
    assertThat(RequirementsAtCommit.resolve("prod.txt", "../../etc/passwd")).isNull();
    assertThat(RequirementsAtCommit.resolve("prod.txt", "https://x/y.txt")).isNull();
  }

  @Test
  void readsTheFileAndItsIncludesAtTheCommit() throws Exception {
    FakeGit git =
        new FakeGit()
            .file("c1", "app/requirements/prod.txt", "-r base.txt\nflask==3.1.0\n")
            .file("c1", "app/requirements/base.txt", "gunicorn==23.0.0\n");
    var release = Kube.release("ns", "shop", "v1");
    release.getSpec().getSource().setPath("app");
    release.getSpec().getRequirements().setInline(null);
    release.getSpec().getRequirements().setFile("requirements/prod.txt");
    var parsed =
        new RequirementsAtCommit(git).read(release.getSpec(), "c1", GitResolver.Credentials.NONE);
    assertThat(parsed.problems()).isEmpty();
    assertThat(parsed.requirements())
        .extracting(r -> r.requirement().name())
        .containsExactlyInAnyOrder("gunicorn", "flask");
    assertThat(parsed.requirements())
        .extracting(r -> r.file())
        .contains("app/requirements/base.txt");
  }

  @Test
  void aMissingTopFileIsAProblemNotAnError() throws Exception {
    var release = Kube.release("ns", "shop", "v1");
    release.getSpec().getRequirements().setInline(null);
    release.getSpec().getRequirements().setFile("requirements.txt");
    var parsed =
        new RequirementsAtCommit(new FakeGit())
            .read(release.getSpec(), "c1", GitResolver.Credentials.NONE);
    assertThat(parsed.problems())
        .singleElement()
        .satisfies(
            p -> assertThat(p.what()).contains("'requirements.txt' does not exist at commit c1"));
  }
}
