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
  void urlMasking() {
    assertThat(GitUrls.mask("https://user:secret@git.internal/shop.git"))
        .isEqualTo("https://***@git.internal/shop.git");
    assertThat(GitUrls.mask("https://ghp_token@github.com/o/r"))
        .isEqualTo("https://***@github.com/o/r");
    assertThat(GitUrls.mask("git@github.com:o/r.git")).isEqualTo("git@github.com:o/r.git");
    assertThat(GitUrls.mask("file:///srv/x.git")).isEqualTo("file:///srv/x.git");
    assertThat(
            GitUrls.scrub(
                "https://user:secret@h/x: not authorized; tried pw-value",
                "https://user:secret@h/x",
                GitCredentials.basic("u", "pw-value")))
        .isEqualTo("https://***@h/x: not authorized; tried ***");
    assertThat(GitUrls.withoutUserinfo("https://user:secret@git.internal/shop.git"))
        .isEqualTo("https://git.internal/shop.git");
    assertThat(GitUrls.withoutUserinfo("ssh://git@h/x.git")).isEqualTo("ssh://h/x.git");
    assertThat(GitUrls.cacheKey("https://a:b@h/x.git")).isEqualTo(GitUrls.cacheKey("https://h/x/"));
    assertThat(GitUrls.withoutUserinfo("https://user:secret@git.internal/shop.git"))
        .isEqualTo("https://git.internal/shop.git");
    assertThat(GitUrls.withoutUserinfo("ssh://git@h/x.git")).isEqualTo("ssh://h/x.git");
    assertThat(GitUrls.cacheKey("https://h/x")).isNotEqualTo(GitUrls.cacheKey("https://h/y"));
  }
}
