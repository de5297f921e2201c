package dev.pyrelease.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyrelease.python.Problem;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SpecValidatorTest {
  static Stream<Arguments> badSpecs() {
    String g = ManifestReaderTest.GOOD;
    return Stream.of(
        bad(
            g.replace(
                "    file: requirements/prod.txt",
                "    file: requirements/prod.txt\n    inline: \"django==5.2.17\""),
            "release.yaml:7: spec.requirements must set exactly one of file or inline — e.g."
                + " requirements: {file: requirements/prod.txt}"),
        bad(
            g.replace("    url: https://pyrepo.internal/simple/", "    findLinks: []\n    url: x"),
            "release.yaml:9: spec.index must set exactly one of url or findLinks — e.g. index:"
                + " {url: https://pyrepo.internal/simple/}",
            "release.yaml:10: spec.index.findLinks is empty — list at least one page or directory"
                + " URL",
            "release.yaml:11: spec.index.url 'x' is not an http(s) or file URL — use e.g."
                + " https://pyrepo.internal/simple/"),
        bad(
            g.replace(
                "https://pyrepo.internal/simple/", "https://bob:s3cret@pyrepo.internal/simple/"),
            "release.yaml:10: spec.index.url contains a password — remove the credentials from"
                + " the URL and put them in a Secret named by spec.index.secretRef"),
        bad(
            g.replace("https://git.internal/shop.git", "git@git.internal:2222/web/shop.git"),
            "release.yaml:6: spec.source.git.url 'git@git.internal:2222/web/shop.git': in"
                + " git@host:path the ':' starts the path, not a port; for port 2222 write"
                + " ssh://git@git.internal:2222/web/shop.git — write the clone URL as"
                + " https://host/team/app.git, ssh://git@host:port/team/app.git or"
                + " git@host:team/app.git"),
        bad(
            g.replace("file: requirements/prod.txt", "file: ../../etc/passwd"),
            "release.yaml:8: spec.requirements.file '../../etc/passwd' is outside the repository"
                + " — give a path relative to the repository root, without leading / or .."),
        bad(
            g.replace("registry.internal/web/shop", "registry.internal/web/shop:latest"),
            "release.yaml:14: spec.image.repository 'registry.internal/web/shop:latest' has a tag"
                + " or digest — give the repository only (e.g. registry.internal/web/shop); images"
                + " are referenced by digest"),
        bad(
            g.replace("registry.internal/web/shop", "Registry.internal/Web/Shop"),
            "release.yaml:14: spec.image.repository 'Registry.internal/Web/Shop' is not an image"
                + " repository — use lowercase host/path, e.g. registry.internal/web/shop"),
        bad(
            g.replace(
                "    version: \"3.11\"", "    version: \"3.11\"\n    baseImage: python@md5:x"),
            "release.yaml:13: spec.python.baseImage 'python@md5:x' is not an image reference —"
                + " use host/path:tag or host/path@sha256:<digest>"),
        bad(
            g
                + "  hooks:\n    preRollout:\n      - {name: migrate, command: [a]}\n"
                + "      - {name: migrate, command: [b]}\n",
            "release.yaml:22: spec.hooks.preRollout[1].name 'migrate' is used twice — give each"
                + " hook its own name"));
  }

  private static Arguments bad(String manifest, String... expected) {
    return Arguments.of(manifest, List.of(expected));
  }

  @ParameterizedTest
  @MethodSource("badSpecs")
  void reportsEverySemanticProblemAtItsLine(String manifest, List<String> expected)
      throws Exception {
    Manifest m = ManifestReader.fromGeneratedCrd().read("release.yaml", manifest);
    assertThat(SpecValidator.validate(m))
        .extracting(Problem::toString)
        .containsExactlyElementsOf(expected);
  }

  @org.junit.jupiter.api.Test
  void aReleaseFromTheApiServerWithAnOverlongNameIsRejected() throws Exception {
    Manifest m = ManifestReader.fromGeneratedCrd().read("release.yaml", ManifestReaderTest.GOOD);
    m.release().getMetadata().setName("a".repeat(41));
    assertThat(SpecValidator.validate(m.release(), "web/aaa"))
        .extracting(Problem::toString)
        .containsExactly(
            "web/aaa:0: metadata.name '"
                + "a".repeat(41)
                + "' is longer than 40 characters — use a lowercase name of letters, digits and"
                + " '-', starting with a letter, at most 40 characters");
  }
}
