package dev.pyrelease.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyrelease.release.ReleaseRequirements;
import dev.pyrelease.source.GitCredentials;
import org.junit.jupiter.api.Test;

/** Requirements read at a commit through the git port, includes followed inside the tree. */
class RequirementsAtCommitTest {

  @Test
  void readsTheFileAndItsIncludesAtTheCommit() throws Exception {
    FakeGit git =
        new FakeGit()
            .file("c1", "app/requirements/prod.txt", "-r \"base.txt\"\nflask==3.1.0\n")
            .file("c1", "app/requirements/base.txt", "gunicorn==23.0.0\n");
    var release = Kube.release("ns", "shop", "v1");
    release.getSpec().getSource().setPath("app");
    release.getSpec().getRequirements().setInline(null);
    release.getSpec().getRequirements().setFile("requirements/prod.txt");
    var parsed = ReleaseRequirements.atCommit(release.getSpec(), "c1", git, GitCredentials.none());
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
        ReleaseRequirements.atCommit(release.getSpec(), "c1", new FakeGit(), GitCredentials.none());
    assertThat(parsed.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.file()).isEqualTo("requirements.txt");
              assertThat(p.what()).isEqualTo("file not found");
            });
  }
}
