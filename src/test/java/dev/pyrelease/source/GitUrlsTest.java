package dev.pyrelease.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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

  @Test
  void sshUrlsInBothSpellings() {
    for (String url :
        List.of(
            "git@git.internal:team/app.git",
            "ssh://git@git.internal:2222/team/app.git",
            "ssh://git.internal/team/app.git",
            "git+ssh://git@git.internal/team/app.git",
            "deploy@[fd00::1]:team/app.git")) {
      assertThat(GitUrls.isSsh(url)).as(url).isTrue();
      assertThat(GitUrls.problem(url)).as(url).isNull();
    }
    for (String url :
        List.of(
            "https://git.internal/team/app.git",
            "file:///srv/app.git",
            "/srv/app.git",
            "C:/repos/app",
            "./app:v1")) {
      assertThat(GitUrls.isSsh(url)).as(url).isFalse();
    }
  }

  @Test
  void problemsSayHowToWriteTheUrl() {
    assertThat(GitUrls.problem("git@git.internal:2222/team/app.git"))
        .contains("the ':' starts the path, not a port")
        .contains("ssh://git@git.internal:2222/team/app.git");
    assertThat(GitUrls.problem("ssh://git@git.internal:70000/team/app.git"))
        .contains("the port '70000' is not a number from 1 to 65535");
    assertThat(GitUrls.problem("ssh://git@git.internal")).contains("names no repository");
    assertThat(GitUrls.problem("git@git.internal:")).contains("names no repository after the ':'");
    assertThat(GitUrls.problem("ftp://git.internal/x.git"))
        .contains("the scheme 'ftp' is not a git transport");
    assertThat(GitUrls.problem("https://user:s3cret@git.internal"))
        .contains("names no repository")
        .doesNotContain("s3cret");
    assertThat(GitUrls.problem(" git@h:x.git")).contains("white space");
    assertThat(GitUrls.problem("")).isEqualTo("no git URL given");
    assertThat(GitUrls.problem("https://git.internal/team/app.git")).isNull();
    assertThat(GitUrls.problem("file:///srv/app.git")).isNull();
    assertThat(GitUrls.problem("/srv/app.git")).isNull();
  }
}
