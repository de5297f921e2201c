package dev.pyrelease.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.python.Problem;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ManifestReaderTest {
  private final ManifestReader reader = ManifestReader.fromGeneratedCrd();

  static final String GOOD =
      """
      apiVersion: pyrelease.dev/v1alpha1
      kind: PythonRelease
      metadata: {name: shop, namespace: web}
      spec:
        source:
          git: {url: https://git.internal/shop.git, ref: v1.4.2}
        requirements:
          file: requirements/prod.txt
        index:
          url: https://pyrepo.internal/simple/
        python:
          version: "3.11"
        image:
          repository: registry.internal/web/shop
        run:
          command: [gunicorn, shop.wsgi]
          env:
            - {name: A, value: b}
      """;

  @Test
  void readsAGoodManifestWithDefaults() throws Exception {
    Manifest m = reader.read("release.yaml", GOOD);
    PythonRelease r = m.release();
    assertThat(r.getMetadata().getName()).isEqualTo("shop");
    assertThat(r.getSpec().getSource().getPath()).isEqualTo(".");
    assertThat(r.getSpec().getRun().getPort()).isEqualTo(8000);
    assertThat(r.getSpec().getRun().getReplicas()).isEqualTo(1);
    assertThat(r.getSpec().getRevisionHistoryLimit()).isEqualTo(10);
    assertThat(r.getSpec().getRequirements().getRequireHashes()).isFalse();
    assertThat(m.lineOf("spec.index.url")).isEqualTo(10);
    assertThat(m.lineOf("spec.run.env[0].name")).isEqualTo(18);
    assertThat(SpecValidator.validate(m)).isEmpty();
  }

  @Test
  void readsTheShippedExamples() throws Exception {
    for (String example : List.of("examples/django/release.yaml")) {
      Manifest m = reader.read(Path.of(example));
      assertThat(SpecValidator.validate(m)).as(example).isEmpty();
    }
  }

  static Stream<Arguments> badManifests() {
    return Stream.of(
        bad(
            GOOD.replace("  source:", "  sourc:"),
            "release.yaml:5: spec.sourc is not a known field — remove it or fix its spelling; known"
                + " fields here: build, hooks, image, index, pod, processes, python, requirements,"
                + " revision, revisionHistoryLimit, rollout, run, schedules, source",
            "release.yaml:5: spec.source is required — expected: Where the application source"
                + " comes from: a git repository at a ref."),
        bad(
            GOOD.replace("version: \"3.11\"", "version: \"2.7\""),
            "release.yaml:12: spec.python.version '2.7' does not match ^3\\.[0-9]+$ — expected:"
                + " The target interpreter version, major.minor (e.g. \"3.11\"). Markers, wheel"
                + " tags and the closure check are evaluated for it, and the base image must provide"
                + " it."),
        bad(
            GOOD.replace("version: \"3.11\"", "version: 3.11"),
            "release.yaml:12: spec.python.version must be a string, not '3.11' (float) — quote"
                + " it: \"3.11\""),
        bad(
            GOOD.replace("command: [gunicorn, shop.wsgi]", "command: []"),
            "release.yaml:16: spec.run.command needs at least 1 item(s) — add the missing item(s)"),
        bad(
            GOOD.replace("command: [gunicorn, shop.wsgi]", "command: gunicorn shop.wsgi"),
            "release.yaml:16: spec.run.command must be a list, not 'gunicorn shop.wsgi' — write it"
                + " as a YAML list: [a, b]"),
        bad(
            GOOD + "    port: 70000\n",
            "release.yaml:19: spec.run.port must be at most 65535, not 70000 — expected: The port"
                + " the application listens on; the Service targets it."),
        bad(
            GOOD + "    replicas: three\n",
            "release.yaml:19: spec.run.replicas must be an integer, not 'three' — expected:"
                + " Replicas of the serving revision. With autoscaling the autoscaler owns the count"
                + " and this is only the first revision's starting point."),
        bad(
            GOOD + "  revision: 0\n",
            "release.yaml:19: spec.revision must be at least 1, not 0 — expected: Pin traffic to"
                + " this retained revision number (rollback). Unset: follow the latest build. A"
                + " rollback never builds."),
        bad(
            GOOD.replace("{name: A, value: b}", "{name: A, valu: b}"),
            "release.yaml:18: spec.run.env[0].valu is not a known field — remove it or fix its"
                + " spelling; known fields here: name, value, valueFrom"),
        bad(
            GOOD.replace("  image:\n    repository: registry.internal/web/shop\n", ""),
            "release.yaml:5: spec.image is required — expected: Where the built images are"
                + " pushed."),
        bad(
            GOOD.replace("apiVersion: pyrelease.dev/v1alpha1", "apiVersion: pyrelease.dev/v1"),
            "release.yaml:1: apiVersion 'pyrelease.dev/v1' is not served — use apiVersion:"
                + " pyrelease.dev/v1alpha1"),
        bad(
            GOOD.replace("kind: PythonRelease", "kind: Deployment"),
            "release.yaml:1: holds no document with kind: PythonRelease — start the manifest with"
                + " apiVersion: pyrelease.dev/v1alpha1 and kind: PythonRelease"),
        bad(
            GOOD.replace("name: shop,", "name: Shop_1,"),
            "release.yaml:3: metadata.name 'Shop_1' is not a DNS-1035 label — use a lowercase name"
                + " of letters, digits and '-', starting with a letter, at most 40 characters"),
        bad(
            GOOD.replace("  index:\n", "  index:\n   x: [\n"),
            "release.yaml:12: is not valid YAML: expected ',' or ']', but got : — fix the YAML"
                + " syntax"),
        bad(
            GOOD + "  hooks:\n    preRollout:\n      - {name: Migrate, command: [x]}\n",
            "release.yaml:21: spec.hooks.preRollout[0].name 'Migrate' does not match"
                + " ^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$ — expected: Hook name (lowercase"
                + " letters, digits and '-', at most 32), unique within the release."),
        bad(
            GOOD.replace("ref: v1.4.2}", "ref: v1.4.2}\n    path: .\n    path: app"),
            "release.yaml:8: spec.source.path is given twice — keep one of them"),
        bad(
            GOOD.replace("requireHashes: false", "")
                .replace("    file:", "    requireHashes:" + " yes-please\n    file:"),
            "release.yaml:8: spec.requirements.requireHashes must be true or false, not"
                + " 'yes-please' — write true or false"));
  }

  private static Arguments bad(String manifest, String... expected) {
    return Arguments.of(manifest, List.of(expected));
  }

  @ParameterizedTest
  @MethodSource("badManifests")
  void rejectsBadManifestsWithEveryProblemAndItsLine(String manifest, List<String> expected) {
    ManifestException e =
        catchThrowableOfType(ManifestException.class, () -> reader.read("release.yaml", manifest));
    assertThat(e).as("no exception for:\n%s", manifest).isNotNull();
    assertThat(e.problems()).extracting(Problem::toString).containsExactlyElementsOf(expected);
  }
}
