package dev.pyrelease.source.jgit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pyrelease.source.GitCredentials;
import dev.pyrelease.source.SourceException;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import org.eclipse.jgit.api.errors.TransportException;
import org.junit.jupiter.api.Test;

/** JGit's failures as kinds, with messages that name the URL and never a secret. */
class GitErrorsTest extends ResolverFixture {
  @Test
  void unreachableRepository() {
    String url = tmp.resolve("no-such-repo").toUri().toString();
    SourceException e =
        catchThrowableOfType(() -> resolver.resolve(url, "main", none), SourceException.class);
    assertThat(e.kind()).isEqualTo(SourceException.Kind.UNREACHABLE);
    assertThat(e.getMessage()).contains("no-such-repo");
    assertThat(e.transientFailure()).isTrue();
  }

  @Test
  void connectionRefusedIsUnreachable() throws Exception {
    int port;
    try (var s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String url = "http://user:s3cret-pw@127.0.0.1:" + port + "/repo.git";
    SourceException e =
        catchThrowableOfType(() -> resolver.resolve(url, "main", none), SourceException.class);
    assertThat(e.kind()).isEqualTo(SourceException.Kind.UNREACHABLE);
    assertThat(e.getMessage()).contains("http://***@127.0.0.1:" + port).doesNotContain("s3cret");
  }

  @Test
  void unknownHostIsUnreachableWithTheCauseAndNoSecret() {
    String url = "https://bot:hunter2-token@nonexistent.invalid/shop.git";
    for (Runnable call :
        new Runnable[] {
          () -> resolver.resolve(url, "main", none), () -> resolver.tree(url, repo.c1, none)
        }) {
      SourceException e = catchThrowableOfType(call::run, SourceException.class);
      assertThat(e.kind()).isEqualTo(SourceException.Kind.UNREACHABLE);
      assertThat(e.getMessage())
          .contains("https://***@nonexistent.invalid/shop.git")
          .contains("UnknownHostException")
          .doesNotContain("hunter2");
      assertThat(e.getCause()).isNull();
    }
  }

  @Test
  void classifyScrubsTheGivenPasswordAndTheUrlsOwn() {
    String url = "https://bot:url-secret@git.internal/shop.git";
    Throwable jgit =
        new TransportException(
            url + ": not authorized (tried pw-value)",
            new UnknownHostException("no url-secret here"));
    SourceException e =
        GitErrors.classify(jgit, "cannot fetch from", url, GitCredentials.basic("u", "pw-value"));
    assertThat(e.kind()).isEqualTo(SourceException.Kind.UNAUTHORIZED);
    assertThat(e.getMessage())
        .startsWith("cannot fetch from https://***@git.internal/shop.git (authentication failed): ")
        .contains("not authorized (tried ***)")
        .contains("UnknownHostException: no *** here")
        .doesNotContain("pw-value")
        .doesNotContain("url-secret");
    assertThat(e.getCause()).isNull();
    assertThat(GitErrors.connectionFailure(jgit)).isTrue();
    assertThat(GitErrors.connectionFailure(new TransportException("want x not valid"))).isFalse();
  }

  @Test
  void scrub() {
    assertThat(
            GitErrors.scrub(
                "https://user:secret@h/x: not authorized; tried pw-value",
                "https://user:secret@h/x",
                GitCredentials.basic("u", "pw-value")))
        .isEqualTo("https://***@h/x: not authorized; tried ***");
    assertThat(GitErrors.scrub("token tok-123 at https://tok-123@h/x", "https://tok-123@h/x", none))
        .isEqualTo("token *** at https://***@h/x");
    assertThat(GitErrors.scrub(null, "https://h/x", none)).isEmpty();
  }
}
