package dev.pyrelease.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.pyrelease.engine.BaseImageDigest;
import dev.pyrelease.image.ImageRef;
import dev.pyrelease.image.RegistryCredentials;
import dev.pyrelease.image.RegistryHttp;
import dev.pyrelease.release.BaseDigests;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The operator's base digests against the real loopback registry: the digest it keys is the one the
 * build's source step (the CLI's path) resolves, and what it cannot know is said as such.
 */
class RegistryBaseDigestsTest {
  static String env(String name) {
    String v = System.getenv(name);
    if (v == null || v.isBlank()) {
      fail("%s is not set: start the test environment (scripts/testenv up; . .testenv/env)", name);
    }
    return v;
  }

  final String base = env("PYRELEASE_BASE_IMAGE");
  final RegistryBaseDigests digests =
      new RegistryBaseDigests(Set.of(ImageRef.parse(base).registry()));

  @Test
  void aTagResolvesToTheDigestTheBuildPodKeys() throws Exception {
    String cli =
        new BaseImageDigest(new RegistryHttp(RegistryCredentials.none(), true, false))
            .resolve(base);
    assertThat(digests.digest(base, null)).isEqualTo(cli).startsWith("sha256:");
    // pull credentials for another registry, or not JSON at all, change nothing
    byte[] other =
        "{\"auths\":{\"elsewhere.test\":{\"auth\":\"dTpw\"}}}".getBytes(StandardCharsets.UTF_8);
    assertThat(digests.digest(base, other)).isEqualTo(cli);
    assertThat(digests.digest(base, "not json".getBytes(StandardCharsets.UTF_8))).isEqualTo(cli);
    // credentials for the base's own registry: a client of their own, the same answer (this
    // registry does not ask for them; one that does gets them on its 401)
    byte[] own =
        ("{\"auths\":{\"" + ImageRef.parse(base).registry() + "\":{\"auth\":\"dTpw\"}}}")
            .getBytes(StandardCharsets.UTF_8);
    assertThat(
            RegistryCredentials.fromDockerConfigJson(own)
                .forRegistry(ImageRef.parse(base).registry()))
        .isPresent();
    assertThat(digests.digest(base, own)).isEqualTo(cli);
    assertThat(digests.resolve(base, () -> null).pinned()).isEqualTo(base + "@" + cli);
  }

  @Test
  void aMissingTagIsNotFoundAndAnUnreachableRegistryIsUnavailable() {
    String missing = ImageRef.parse(base).registry() + "/no/such-image:1";
    assertThatThrownBy(() -> digests.digest(missing, null))
        .isInstanceOf(BaseDigests.NotFoundException.class)
        .hasMessageContaining("does not exist");
    assertThatThrownBy(() -> digests.digest("127.0.0.1:1/python:3.11", null))
        .isInstanceOf(BaseDigests.UnavailableException.class)
        .hasMessageContaining("127.0.0.1:1/python:3.11");
  }

  @Test
  void aReferencePinnedByDigestAsksNobody() throws Exception {
    String pinned = "127.0.0.1:1/python:3.11@sha256:" + "a".repeat(64);
    var ref =
        digests.resolve(
            pinned,
            () -> {
              throw new AssertionError("the pull secret is not read for a pinned base");
            });
    assertThat(ref.digest()).isEqualTo("sha256:" + "a".repeat(64));
    assertThat(ref.pinned()).isEqualTo(pinned);
  }
}
