package dev.pyrelease.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryCredentialsTest {

  @TempDir Path tmp;

  @Test
  void readsAuthAndUsernamePasswordEntries() throws Exception {
    String auth =
        Base64.getEncoder().encodeToString("robot:s3cr:et".getBytes(StandardCharsets.UTF_8));
    Path config =
        Files.writeString(
            tmp.resolve("config.json"),
            """
        {"auths": {
          "127.0.0.1:5000": {"auth": "%s"},
          "https://127.0.0.1:5001/v1/": {"username": "u", "password": "p"},
          "127.0.0.1:5002": {"identitytoken": "x"}
        }, "credHelpers": {"127.0.0.1:5003": "pass"}}
        """
                .formatted(auth));
    RegistryCredentials c = RegistryCredentials.fromDockerConfig(config);
    assertThat(c.forRegistry("127.0.0.1:5000"))
        .hasValue(new RegistryCredentials.Credential("robot", "s3cr:et"));
    assertThat(c.forRegistry("127.0.0.1:5001"))
        .hasValue(new RegistryCredentials.Credential("u", "p"));
    assertThat(c.forRegistry("127.0.0.1:5002")).isEmpty();
    assertThat(c.forRegistry("127.0.0.1:5003")).isEmpty();
    assertThat(c.toString()).doesNotContain("s3cr").doesNotContain("robot");
    assertThat(c.forRegistry("127.0.0.1:5000").orElseThrow().toString()).doesNotContain("s3cr");
  }

  @Test
  void brokenFileIsNamedWithoutItsContent() throws Exception {
    Path config =
        Files.writeString(
            tmp.resolve("config.json"), "{\"auths\": {\"x\": {\"auth\": \"supersecret\"");
    assertThatThrownBy(() -> RegistryCredentials.fromDockerConfig(config))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("config.json")
        .hasMessageNotContaining("supersecret");
  }
}
