package dev.pyrelease.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ImageInspector against the real test environment: the loopback registry and the base image. */
class ImageInspectorRegistryTest {

  @TempDir Path work;

  private static ImageInspector inspector(Path cache) {
    return new ImageInspector(new RegistryHttp(RegistryCredentials.none(), true, false), cache);
  }

  @Test
  void basePathIsReadFromTheBaseImage() throws Exception {
    ImageInspector i = inspector(null);
    String debian = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    assertThat(i.basePathOf(BaseImage.registry(TestEnv.baseImage()))).isEqualTo(debian);
    assertThat(i.basePathOf(BaseImage.tar(TestEnv.baseTar()))).isEqualTo(debian);
  }

  @Test
  void aFileOfTheBaseIsReadFromItsLayersAndTheAnswerKeptInTheCache() throws Exception {
    Path cache = Files.createTempDirectory(work, "cache");
    ImageInspector i = inspector(cache);
    BaseImage registryBase = BaseImage.registry(TestEnv.baseImage());
    String python = i.fileSha256(registryBase, "/usr/bin/python3.11").orElseThrow();
    assertThat(python).matches("[0-9a-f]{64}");
    // the registry's base was pushed from this archive: both ways of reading agree
    assertThat(i.fileSha256(BaseImage.tar(TestEnv.baseTar()), "/usr/bin/python3.11"))
        .contains(python);
    // a symbolic link (python3 -> python3.11), a directory, nothing: not a regular file
    assertThat(i.fileSha256(registryBase, "/usr/bin/python3")).isEmpty();
    assertThat(i.fileSha256(registryBase, "/usr/bin")).isEmpty();
    assertThat(i.fileSha256(registryBase, "/usr/bin/no-such-python")).isEmpty();
    // kept by manifest digest and path: another inspector with this cache reads no layer again
    try (var answers = Files.list(cache.resolve("image-files"))) {
      assertThat(answers.map(f -> readQuietly(f)).toList()).contains(python + "\n", "none\n");
    }
    ImageInspector again = inspector(cache);
    long t0 = System.nanoTime();
    assertThat(again.fileSha256(registryBase, "/usr/bin/python3.11")).contains(python);
    System.out.printf(
        "[image-it] base file sha256 from the cache: %d ms%n",
        (System.nanoTime() - t0) / 1_000_000);
  }

  @Test
  void theSbomOfADependencyImageIsReadFromItsVenvManifestLayer() throws Exception {
    SyntheticVenv v =
        new SyntheticVenv(work.resolve("v"))
            .dist("Django", "5.2.17", 5_000, true, false)
            .dist("six", "1.16.0", 100, false, false);
    VenvManifest m = VenvManifest.read(v.writeManifest());
    SbomLayers sbom =
        SbomLayers.of(
            LayerPlan.forVenv(m, v.venv(), "/opt/venv", LayerPolicy.DEFAULT),
            m,
            new Sbom.Base(TestEnv.baseImage(), null),
            "/opt/venv",
            Files.createDirectories(work.resolve("sbom")));
    LayerPlan plan = sbom.plan();
    ImageRef repo =
        ImageRef.parse(
            TestEnv.registry()
                + "/test-image/inspect-"
                + UUID.randomUUID().toString().substring(0, 8));
    ImageRef deps = ImageWriter.dependencyImage(repo, "k1");
    ImageInspector i = inspector(null);
    assertThat(i.exists(deps)).isFalse();

    new ImageWriter(
            new RegistryOptions(RegistryCredentials.none(), true, work.resolve("jib")), null)
        .writeDependencyImage(
            BaseImage.registry(TestEnv.baseImage()),
            plan,
            ImageSettings.builder().build(),
            repo,
            "k1");

    assertThat(i.exists(deps)).isTrue();
    assertThat(i.sbomOf(deps)).contains(sbom.sbom());
    assertThat(i.sbomFileOf(deps)).contains(Files.readAllBytes(sbom.sbomFile()));
    // the base has no such layer
    assertThat(i.sbomOf(ImageRef.parse(TestEnv.baseImage()))).isEmpty();
  }

  static String readQuietly(Path f) {
    try {
      return Files.readString(f);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
