package dev.pyrelease.python;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DirectReferencesTest {

  @Test
  void theSuggestionComesFromTheEggFragmentOrTheFileName() {
    assertThat(DirectReferences.suggestion("git+https://h/r.git#egg=lib"))
        .isEqualTo("lib==<version>");
    assertThat(DirectReferences.suggestion("https://h/lib-1.2-py3-none-any.whl#sha256=ab"))
        .isEqualTo("lib==1.2");
    assertThat(DirectReferences.suggestion("./dist/lib-1.2.tar.gz")).isEqualTo("lib==1.2");
    assertThat(DirectReferences.suggestion("../lib")).isEqualTo("name==<version>");
  }

  @Test
  void pep508UrlFormsAndNamesAreLeftToTheRequirementParser() {
    assertThat(DirectReferences.problem("r.txt", 1, "t", "lib @ https://h/lib-1.2.tar.gz"))
        .isNull();
    assertThat(DirectReferences.problem("r.txt", 1, "t", "lib==1.2")).isNull();
  }

  @Test
  void vcsUrlAndPathFormsAreNamed() {
    assertThat(DirectReferences.problem("r.txt", 1, "t", "git+https://h/r.git").what())
        .endsWith("is a VCS reference, not a pinned release");
    assertThat(DirectReferences.problem("r.txt", 1, "t", "https://h/lib-1.2.zip").what())
        .endsWith("is a URL, not a pinned requirement");
    assertThat(DirectReferences.problem("r.txt", 1, "t", "lib-1.2-py3-none-any.whl").what())
        .endsWith("is a local path, not a pinned requirement");
    assertThat(DirectReferences.isRemote("svn+https://h/r")).isTrue();
    assertThat(DirectReferences.isRemote(".")).isFalse();
  }
}
