package dev.pyrelease.source.jgit;

import static dev.pyrelease.source.jgit.TestRepos.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pyrelease.source.GitCredentials;
import dev.pyrelease.source.SourceException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * git over ssh against a real sshd (Debian's openssh-server, started by scripts/testenv on a
 * loopback port): refs, trees and checkouts with the right key and known_hosts, over ssh:// and
 * scp-like URLs; a host key that known_hosts does not have for the host is refused (never accepted
 * silently), a key the server does not know is an authentication failure, and no message holds key
 * material.
 */
class SshTransportTest {
  @TempDir Path tmp;
  TestRepos repo;
  String path;
  String url;
  JGitResolver resolver;

  @BeforeEach
  void setUp() throws Exception {
    repo = TestRepos.create(tmp);
    path = SshServer.publish(repo.dir, "shop");
    url = SshServer.url(path);
    resolver = new JGitResolver(tmp.resolve("cache"));
  }

  @AfterEach
  void tearDown() {
    resolver.close();
  }

  @Test
  void resolvesReadsAndChecksOutOverSsh() throws Exception {
    GitCredentials creds = SshServer.credentials();

    assertThat(resolver.resolve(url, "main", creds).commit()).isEqualTo(repo.c3);
    assertThat(resolver.resolve(url, "v1.1", creds).commit()).isEqualTo(repo.c2);
    assertThat(read(resolver, url, repo.c1, "requirements/prod.txt", creds))
        .isEqualTo("-r base.txt\ndjango==5.2.17\n");
    Path out = resolver.checkout(url, repo.c3, tmp.resolve("tree"), creds);
    assertThat(out.resolve("requirements/prod.txt")).hasContent("-r base.txt\ndjango==5.2.18");
    assertThat(Files.isExecutable(out.resolve("bin/run.sh"))).isTrue();
  }

  @Test
  void scpLikeUrlsReachTheSameRepository() throws Exception {
    // git@host:path has no port: the test environment's sshd listens on 127.0.0.N:22 (N from 2) for
    // it
    String scp = SshServer.require("PYRELEASE_SSH_SCP_URL").replace("team/app.git", path);
    assertThat(scp).doesNotContain("://");

    assertThat(resolver.resolve(scp, "main", SshServer.credentials()).commit()).isEqualTo(repo.c3);
  }

  @Test
  void credentialsFromADirectoryAsTheBuildJobMountsTheSecret() {
    GitCredentials creds = GitCredentials.fromDirectory(SshServer.credentialsDir());

    assertThat(creds.kind()).isEqualTo(GitCredentials.Kind.SSH_KEY);
    assertThat(resolver.resolve(url, "v1.0", creds).commit()).isEqualTo(repo.c1);
  }

  @Test
  void anotherHostKeyForTheHostIsRefusedNamingTheHost() throws Exception {
    GitCredentials creds =
        GitCredentials.sshKey(SshServer.privateKey(), SshServer.otherHostKey())
            .from("Secret shop/git-ssh");

    SourceException e =
        catchThrowableOfType(() -> resolver.resolve(url, "main", creds), SourceException.class);

    assertThat(e.kind()).isEqualTo(SourceException.Kind.HOST_KEY_REJECTED);
    assertThat(e.getMessage())
        .contains("host key verification failed for [127.0.0.1]:" + SshServer.port())
        .contains("is not the key 'known_hosts' of Secret shop/git-ssh has for that host")
        .contains("SHA256:");
    assertNoKeyMaterial(e.getMessage());
  }

  @Test
  void aKnownHostsWithoutTheHostIsRefused() throws Exception {
    byte[] elsewhere =
        new String(SshServer.otherHostKey(), StandardCharsets.UTF_8)
            .replace("[127.0.0.1]:" + SshServer.port(), "git.example.com")
            .getBytes(StandardCharsets.UTF_8);
    GitCredentials creds = GitCredentials.sshKey(SshServer.privateKey(), elsewhere);

    SourceException e =
        catchThrowableOfType(() -> resolver.resolve(url, "main", creds), SourceException.class);

    assertThat(e.kind()).isEqualTo(SourceException.Kind.HOST_KEY_REJECTED);
    assertThat(e.getMessage())
        .contains("host key verification failed for [127.0.0.1]:" + SshServer.port())
        .contains("has no line for that host");
  }

  @Test
  void aKeyTheServerDoesNotKnowIsAnAuthenticationFailure() {
    GitCredentials creds = GitCredentials.fromDirectory(SshServer.wrongKeyDir());

    SourceException e =
        catchThrowableOfType(() -> resolver.resolve(url, "main", creds), SourceException.class);

    assertThat(e.kind()).as(e.getMessage()).isEqualTo(SourceException.Kind.UNAUTHORIZED);
    assertThat(e.getMessage())
        .contains("(authentication failed)")
        .contains("server refused ssh-ed25519 key SHA256:")
        .contains(
            "the server accepts no key of 'ssh-privatekey' of --git-credentials "
                + SshServer.wrongKeyDir()
                + ": add its public key to the repository (a deploy key)")
        .doesNotContain("\n");
  }

  @Test
  void noKnownHostsIsAClearErrorBeforeAnyConnection() throws Exception {
    GitCredentials creds =
        GitCredentials.sshKey(SshServer.privateKey(), null).from("Secret shop/git-ssh");

    SourceException e =
        catchThrowableOfType(() -> resolver.resolve(url, "main", creds), SourceException.class);

    assertThat(e.kind()).isEqualTo(SourceException.Kind.INVALID);
    assertThat(e.getMessage())
        .contains("no 'known_hosts' of Secret shop/git-ssh")
        .contains("always checked");
  }

  @Test
  void anSshUrlWithoutAKeyNamesWhatToGive() {
    SourceException e =
        catchThrowableOfType(
            () -> resolver.resolve(url, "main", GitCredentials.basic("u", "secret-pass")),
            SourceException.class);

    assertThat(e.kind()).isEqualTo(SourceException.Kind.INVALID);
    assertThat(e.getMessage())
        .contains("'ssh-privatekey' and 'known_hosts'")
        .contains("--git-credentials")
        .doesNotContain("secret-pass");
  }

  @Test
  void anEncryptedOrBrokenKeyIsNamedNeverQuoted() throws Exception {
    Path enc = tmp.resolve("enc");
    Process p =
        new ProcessBuilder(
                "ssh-keygen", "-q", "-t", "ed25519", "-N", "passphrase", "-f", enc.toString())
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor()).isZero();
    GitCredentials encrypted =
        GitCredentials.sshKey(Files.readAllBytes(enc), SshServer.knownHosts())
            .from("--git-credentials /keys");

    SourceException e =
        catchThrowableOfType(() -> resolver.resolve(url, "main", encrypted), SourceException.class);
    assertThat(e.kind()).isEqualTo(SourceException.Kind.INVALID);
    assertThat(e.getMessage())
        .contains("'ssh-privatekey' of --git-credentials /keys is encrypted with a passphrase");

    byte[] broken = "-----BEGIN OPENSSH PRIVATE KEY-----\nbm90IGEga2V5IGF0IGFsbA==\n".getBytes();
    SourceException b =
        catchThrowableOfType(
            () ->
                resolver.resolve(
                    url, "main", GitCredentials.sshKey(broken, SshServer.knownHosts())),
            SourceException.class);
    assertThat(b.kind()).isEqualTo(SourceException.Kind.INVALID);
    assertThat(b.getMessage()).contains("'ssh-privatekey'").doesNotContain("bm90IGEga2V5");
  }

  private static void assertNoKeyMaterial(String text) throws Exception {
    List<String> lines = SshServer.keyLines();
    assertThat(lines).isNotEmpty();
    for (String line : lines) {
      assertThat(text).doesNotContain(line);
    }
  }
}
