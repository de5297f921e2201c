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
    assertThat(GitCredentials.fromDirectory(dir.resolve("absent"))).isSameAs(GitCredentials.none());
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
