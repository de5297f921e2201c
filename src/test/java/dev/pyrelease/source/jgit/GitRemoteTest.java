package dev.pyrelease.source.jgit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pyrelease.source.GitCredentials;
import dev.pyrelease.source.SourceException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which URLs are refused before any network access. */
class GitRemoteTest {
  final GitRemote remote = new GitRemote(5, true);

  private static SourceException.Kind refusal(GitRemote remote, String url, GitCredentials c) {
    return catchThrowableOfType(() -> remote.checkUrl(url, c), SourceException.class).kind();
  }

  @Test
  void sshUrlsWithoutAKeyAndKnownHostsAreRefusedSayingWhatToGive() {
    for (String url : List.of("ssh://git@example.com/x.git", "git@example.com:org/x.git")) {
      SourceException e =
          catchThrowableOfType(
              () -> remote.checkUrl(url, GitCredentials.none()), SourceException.class);
      assertThat(e.kind()).isEqualTo(SourceException.Kind.INVALID);
      assertThat(e.getMessage()).contains("'ssh-privatekey' and 'known_hosts'");
    }
  }

  @Test
  void malformedUrlsAreInvalidBeforeAnyNetworkAccess() {
    for (String url :
        List.of(
            "git@example.com:2222/team/app.git",
            "ssh://git@example.com:22x/team/app.git",
            "ftp://example.com/x.git",
            "ssh://git@example.com")) {
      assertThat(refusal(remote, url, GitCredentials.none()))
          .as(url)
          .isEqualTo(SourceException.Kind.INVALID);
    }
  }

  @Test
  void localRepositoriesCanBeDisabled() {
    GitRemote strict = new GitRemote(5, false);
    assertThat(refusal(strict, "file:///srv/x.git", GitCredentials.none()))
        .isEqualTo(SourceException.Kind.UNSUPPORTED);
    assertThat(refusal(strict, "/srv/x.git", GitCredentials.none()))
        .isEqualTo(SourceException.Kind.UNSUPPORTED);
    strict.checkUrl("https://git.example.com/x.git", GitCredentials.none());
  }

  @Test
  void anSshKeyForAnHttpsUrlAndNoUrlAreInvalid() {
    GitCredentials key = GitCredentials.sshKey(new byte[] {1, 2, 3}, null);
    assertThat(refusal(remote, "https://git.example.com/x.git", key))
        .isEqualTo(SourceException.Kind.INVALID);
    assertThat(refusal(remote, " ", GitCredentials.none())).isEqualTo(SourceException.Kind.INVALID);
  }
}
