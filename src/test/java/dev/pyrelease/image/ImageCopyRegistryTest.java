package dev.pyrelease.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * {@link ImageCopy} against the real registry of the test environment: an image reaches another
 * repository under the same digest by blob mounts and one manifest put, without a layer sent.
 */
class ImageCopyRegistryTest {
  final RegistryHttp http = new RegistryHttp(RegistryCredentials.none(), true, false);

  @Test
  void anImageIsCopiedToAnotherRepositoryUnderItsDigestWithoutSendingALayer() throws Exception {
    ImageRef base = ImageRef.parse(TestEnv.baseImage());
    String digest = http.manifestDigest(base).orElseThrow();
    ImageRef source = base.withDigest(digest);
    ImageRef target =
        ImageRef.parse(TestEnv.registry() + "/promoted-" + System.nanoTime() + "/python:prod");
    assertThat(http.manifestDigest(target)).isEmpty();

    ImageRef copied = new ImageCopy(http).copy(source, target);

    assertThat(copied.toString()).isEqualTo(target.repositoryName() + "@" + digest);
    assertThat(http.manifestDigest(copied)).contains(digest);
    assertThat(http.manifestDigest(target)).as("the tag too").contains(digest);
    var manifest = RegistryHttp.json(http.manifest(copied), copied);
    ImageRef repo = target.withDigest(null);
    assertThat(http.hasBlob(repo, manifest.path("config").path("digest").asText())).isTrue();
    for (var layer : manifest.path("layers")) {
      assertThat(http.hasBlob(repo, layer.path("digest").asText())).isTrue();
    }
    // again: every blob is there, the manifest is the same
    assertThat(new ImageCopy(http).copy(source, target)).isEqualTo(copied);
  }

  @Test
  void aCopyToAnotherRegistryOrOfATagIsRefusedWithoutAsking() {
    ImageCopy copy = new ImageCopy(http);
    assertThatThrownBy(
            () ->
                copy.copy(
                    ImageRef.parse("127.0.0.1:1/a/b@sha256:" + "a".repeat(64)),
                    ImageRef.parse("127.0.0.1:2/c/d")))
        .hasMessageContaining("different registries");
    assertThatThrownBy(
            () -> copy.copy(ImageRef.parse("127.0.0.1:1/a/b:v1"), ImageRef.parse("127.0.0.1:1/c")))
        .hasMessageContaining("named by digest");
  }
}
