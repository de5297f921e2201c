package dev.pyrelease.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitCredentialsTest {
  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void basicFromSecretData() {
    GitCredentials c =
        GitCredentials.fromSecretData(
            Map.of("username", b64("ci"), "password", b64("tok-123456\n")));
    assertThat(c.kind()).isEqualTo(GitCredentials.Kind.BASIC);
    assertThat(c.username()).isEqualTo("ci");
    assertThat(new String(c.password())).isEqualTo("tok-123456");
    assertThat(c.toString()).doesNotContain("tok-123456").contains("ci");
  }

  @Test
  void sshKeyWinsAndIsNeverShown() {
    GitCredentials c =
        GitCredentials.fromSecretData(
            Map.of(
                "ssh-privatekey", b64("-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n"),
                "username", b64("x"),
                "password", b64("y")));
    assertThat(c.kind()).isEqualTo(GitCredentials.Kind.SSH_KEY);
    assertThat(c.toString()).doesNotContain("BEGIN").doesNotContain("AAAA");
    assertThat(c.privateKey()).isNotEmpty();
  }

  @Test
  void emptyAndBadSecrets() {
    assertThat(GitCredentials.fromSecretData(null)).isSameAs(GitCredentials.none());
    assertThat(GitCredentials.fromSecretData(Map.of())).isSameAs(GitCredentials.none());
    assertThatThrownBy(() -> GitCredentials.fromSecretData(Map.of("token", b64("supersecret"))))
        .hasMessageContaining("[token]")
        .hasMessageNotContaining("supersecret");
    assertThatThrownBy(
            () -> GitCredentials.fromSecretData(Map.of("username", "%%%", "password", b64("p"))))
        .hasMessageContaining("'username' is not valid base64")
        .hasMessageNotContaining("%%%");
  }

  @Test
  void fromMountedDirectory(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("username"), "bot");
    Files.writeString(dir.resolve("password"), "pw-value");
    GitCredentials c = GitCredentials.fromDirectory(dir);
    assertThat(c.kind()).isEqualTo(GitCredentials.Kind.BASIC);
    assertThat(c).isEqualTo(GitCredentials.basic("bot", "pw-value"));
    assertThat(c.origin()).isEqualTo("--git-credentials " + dir);
    assertThat(GitCredentials.fromDirectory(null)).isSameAs(GitCredentials.none());
  }

  @Test
  void aDirectoryThatIsNotThereOrHoldsNoKeyIsNamed(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> GitCredentials.fromDirectory(dir.resolve("absent")))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("--git-credentials " + dir.resolve("absent") + " is not a directory");
    assertThatThrownBy(() -> GitCredentials.fromDirectory(dir))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("holds none of the files username, password, ssh-privatekey");
    Files.writeString(dir.resolve("known_hosts"), "h ssh-ed25519 AAAA\n");
    assertThatThrownBy(() -> GitCredentials.fromDirectory(dir))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("(--git-credentials " + dir + ")");
  }

  @Test
  void anSshKeyWithKnownHostsFromADirectory(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("ssh-privatekey"), "-----BEGIN OPENSSH PRIVATE KEY-----\nk\n");
    Files.writeString(dir.resolve("known_hosts"), "h ssh-ed25519 AAAA\n");
    GitCredentials c = GitCredentials.fromDirectory(dir);
    assertThat(c.kind()).isEqualTo(GitCredentials.Kind.SSH_KEY);
    assertThat(c.knownHosts()).isEqualTo("h ssh-ed25519 AAAA\n".getBytes());
    assertThat(c.describeKey("known_hosts")).isEqualTo("'known_hosts' of --git-credentials " + dir);
    assertThat(c.toString()).doesNotContain("OPENSSH");
  }

  @Test
  void aBareTokenGoesWithTheUsernameGit(@TempDir Path dir) throws Exception {
    assertThat(GitCredentials.of(null, null)).isSameAs(GitCredentials.none());
    assertThat(GitCredentials.of(null, "tok-1234"))
        .isEqualTo(GitCredentials.basic("git", "tok-1234"));
    assertThat(GitCredentials.of("", "tok-1234"))
        .isEqualTo(GitCredentials.basic("git", "tok-1234"));
    assertThat(GitCredentials.of("bot", null)).isEqualTo(GitCredentials.basic("bot", ""));
    // the build Job mounts the Secret the operator read: a password alone works there too
    Files.writeString(dir.resolve("password"), "tok-1234\n");
    assertThat(GitCredentials.fromDirectory(dir))
        .isEqualTo(GitCredentials.basic("git", "tok-1234"));
    assertThat(GitCredentials.of(null, "tok-1234").toString()).doesNotContain("tok-1234");
  }
}
