package dev.pyrelease.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GitUrlsTest {
  @Test
  void maskHidesTheWholeUserinfo() {
    assertThat(GitUrls.mask("https://user:secret@git.internal/shop.git"))
        .isEqualTo("https://***@git.internal/shop.git");
    assertThat(GitUrls.mask("https://ghp_token@github.com/o/r"))
        .isEqualTo("https://***@github.com/o/r");
    assertThat(GitUrls.mask("git@github.com:o/r.git")).isEqualTo("git@github.com:o/r.git");
    assertThat(GitUrls.mask("file:///srv/x.git")).isEqualTo("file:///srv/x.git");
    assertThat(GitUrls.mask(null)).isEqualTo("<no url>");
  }

  @Test
  void withoutUserinfoForWhatIsKept() {
    assertThat(GitUrls.withoutUserinfo("https://user:secret@git.internal/shop.git"))
        .isEqualTo("https://git.internal/shop.git");
    assertThat(GitUrls.withoutUserinfo("ssh://git@h/x.git")).isEqualTo("ssh://h/x.git");
  }

  @Test
  void userinfo() {
    assertThat(GitUrls.userinfo("https://user:secret@h/x")).isEqualTo("user:secret");
    assertThat(GitUrls.userinfo("https://h/x")).isNull();
    assertThat(GitUrls.userinfo(null)).isNull();
  }

  @Test
  void cacheKeyIgnoresCredentialsAndTheGitSuffix() {
    assertThat(GitUrls.cacheKey("https://a:b@h/x.git")).isEqualTo(GitUrls.cacheKey("https://h/x/"));
    assertThat(GitUrls.cacheKey("https://h/x")).isNotEqualTo(GitUrls.cacheKey("https://h/y"));
    // the cache directories the operator already has keep their names
    assertThat(GitUrls.cacheKey("https://h/x")).isEqualTo("29c7358107b5adaa7556089816b5ca38");
  }
}
