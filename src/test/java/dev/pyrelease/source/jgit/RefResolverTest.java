package dev.pyrelease.source.jgit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pyrelease.source.GitResolver.ResolvedRef;
import dev.pyrelease.source.SourceException;
import org.junit.jupiter.api.Test;

/** Refs to commits as git names them, against a real repository over {@code file://}. */
class RefResolverTest extends ResolverFixture {
  private String commit(String url, String ref) {
    return resolver.resolve(url, ref, none).commit();
  }

  @Test
  void resolvesBranchesTagsAndHead() {
    assertThat(commit(repo.url, "main")).isEqualTo(repo.c3);
    assertThat(commit(repo.url, "dev")).isEqualTo(repo.c2);
    assertThat(commit(repo.url, "refs/heads/dev")).isEqualTo(repo.c2);
    assertThat(commit(repo.url, "v1.0")).isEqualTo(repo.c1);
    assertThat(commit(repo.url, "refs/tags/v1.0")).isEqualTo(repo.c1);
    assertThat(commit(repo.url, "HEAD")).isEqualTo(repo.c3);
    assertThat(commit(repo.url, " main ")).isEqualTo(repo.c3);
  }

  @Test
  void annotatedTagResolvesToThePeeledCommit() {
    ResolvedRef r = resolver.resolve(repo.url, "v1.1", none);
    assertThat(r.commit()).isEqualTo(repo.c2);
    assertThat(r.refName()).isEqualTo("refs/tags/v1.1");
  }

  @Test
  void ambiguousNamePrefersTheTagAsGitDoes() {
    ResolvedRef r = resolver.resolve(repo.url, "release", none);
    assertThat(r.commit()).isEqualTo(repo.c2); // tag release -> c2, branch release -> c1
    assertThat(r.refName()).isEqualTo("refs/tags/release");
    assertThat(r.ambiguousWith()).containsExactly("refs/heads/release");
    assertThat(commit(repo.url, "refs/heads/release")).isEqualTo(repo.c1);
  }

  @Test
  void fullShaPassesThroughWithoutNetwork() {
    String upper = repo.c1.toUpperCase();
    assertThat(commit("https://nowhere.invalid/x.git", upper)).isEqualTo(repo.c1);
  }

  @Test
  void abbreviatedShaOfATipAndOfAnOlderCommit() {
    assertThat(commit(repo.url, repo.c3.substring(0, 10))).isEqualTo(repo.c3);
    assertThat(commit(repo.url, repo.c1.substring(0, 8))).isEqualTo(repo.c1);
  }

  @Test
  void unknownRefNamesTheRefAndListsAvailableOnes() {
    SourceException e = catchThrowableOfType(() -> commit(repo.url, "v9.9"), SourceException.class);
    assertThat(e.kind()).isEqualTo(SourceException.Kind.NOT_FOUND);
    assertThat(e.getMessage())
        .contains("'v9.9' not found")
        .contains("main")
        .contains("dev")
        .contains("tag v1.1");
  }

  @Test
  void anUnknownAbbreviationSaysSo() {
    SourceException e =
        catchThrowableOfType(() -> commit(repo.url, "fffff0"), SourceException.class);
    assertThat(e.kind()).isEqualTo(SourceException.Kind.NOT_FOUND);
    assertThat(e.getMessage()).contains("no commit SHA starting with it");
  }

  @Test
  void noRefIsInvalid() {
    SourceException e = catchThrowableOfType(() -> commit(repo.url, " "), SourceException.class);
    assertThat(e.kind()).isEqualTo(SourceException.Kind.INVALID);
  }
}
