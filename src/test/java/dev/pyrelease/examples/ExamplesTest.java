package dev.pyrelease.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.pyrelease.cli.Cli;
import dev.pyrelease.python.Problem;
import dev.pyrelease.validate.Manifest;
import dev.pyrelease.validate.ManifestException;
import dev.pyrelease.validate.ManifestReader;
import dev.pyrelease.validate.SpecValidator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every PythonRelease manifest under {@code examples/} (found by walking the tree) is valid three
 * ways: against the generated CRD's openAPIV3Schema with a JSON-schema validator, through {@code
 * ManifestReader} + {@code SpecValidator}, and with {@code pyrelease check} against the machine's
 * real index ({@code PYRELEASE_INDEX_URL}: pins on the index, hashes match, closure complete).
 */
class ExamplesTest {
  static final Path EXAMPLES = Path.of("examples");
  static final YAMLMapper YAML = new YAMLMapper();
  static CrdSchema schema;

  @BeforeAll
  static void loadSchema() throws IOException {
    Path crd = CrdSchema.generatedCrd();
    assertThat(crd).as("the generated CRD (run the build: the crd-generator writes it)").exists();
    schema = CrdSchema.load(crd);
  }

  /** Every YAML file under examples/ that holds a PythonRelease. */
  static List<Path> manifests() throws IOException {
    List<Path> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(EXAMPLES)) {
      for (Path p : files.filter(ExamplesTest::isYaml).sorted().toList()) {
        if (documents(p).stream().anyMatch(d -> "PythonRelease".equals(d.path("kind").asText()))) {
          found.add(p);
        }
      }
    }
    return found;
  }

  static boolean isYaml(Path p) {
    String n = p.getFileName().toString();
    return Files.isRegularFile(p) && (n.endsWith(".yaml") || n.endsWith(".yml"));
  }

  static List<JsonNode> documents(Path p) throws IOException {
    try (var it = YAML.readerFor(JsonNode.class).readValues(Files.readString(p))) {
      List<JsonNode> docs = new ArrayList<>();
      while (it.hasNext()) {
        JsonNode d = (JsonNode) it.next();
        if (d != null && !d.isNull() && !d.isMissingNode()) {
          docs.add(d);
        }
      }
      return docs;
    }
  }

  static JsonNode release(Path p) throws IOException {
    return documents(p).stream()
        .filter(d -> "PythonRelease".equals(d.path("kind").asText()))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void theWalkFindsEveryAppExample() throws IOException {
    assertThat(manifests())
        .contains(
            EXAMPLES.resolve("django/release.yaml"),
            EXAMPLES.resolve("flask/release.yaml"),
            EXAMPLES.resolve("fastapi/release.yaml"),
            EXAMPLES.resolve("gitops/releases/shop.yaml"),
            EXAMPLES.resolve("gitops/releases/notes.yaml"));
    // and every examples/**/release.yaml is a PythonRelease
    try (Stream<Path> files = Files.walk(EXAMPLES)) {
      assertThat(files.filter(p -> p.getFileName().toString().equals("release.yaml")).toList())
          .isNotEmpty()
          .allSatisfy(p -> assertThat(manifests()).contains(p));
    }
  }

  @ParameterizedTest
  @MethodSource("manifests")
  void conformsToTheGeneratedCrdSchema(Path manifest) throws IOException {
    assertThat(schema.validate(release(manifest))).as(manifest.toString()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("manifests")
  void readsAndValidatesWithTheOperatorsOwnValidation(Path manifest) {
    Manifest m;
    try {
      m = ManifestReader.fromGeneratedCrd().read(manifest);
    } catch (ManifestException e) {
      throw new AssertionError(manifest + ": " + e.problems(), e);
    }
    List<Problem> problems = SpecValidator.validate(m);
    assertThat(problems).as(manifest.toString()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("manifests")
  void checkPassesAgainstTheRealIndex(Path manifest) throws IOException {
    Path source = sourceOf(manifest);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        new Cli(Map.of("PYRELEASE_CACHE_DIR", ""), new PrintWriter(out, true), new PrintWriter(err))
            .run(
                "check",
                "-f",
                manifest.toString(),
                "--source",
                source.toString(),
                "--index-url",
                indexUrl());
    assertThat(code).as("%s%s", out, err).isZero();
    assertThat(out.toString()).contains("ok,").contains("closure complete");
  }

  /** The gitops copies carry the same spec as the app examples they deploy. */
  @Test
  void gitopsReleasesMatchTheirAppExamples() throws IOException {
    for (Path p : manifests()) {
      if (p.startsWith(EXAMPLES.resolve("gitops"))) {
        Path app = appExampleFor(p);
        JsonNode copy = release(p);
        JsonNode original = release(app);
        assertThat(copy.get("spec")).as("%s vs %s", p, app).isEqualTo(original.get("spec"));
        assertThat(copy.at("/metadata/name")).isEqualTo(original.at("/metadata/name"));
        assertThat(copy.at("/metadata/namespace").isMissingNode())
            .as("%s: the GitOps tool sets the namespace", p)
            .isTrue();
      }
    }
  }

  /** Argo CD and Flux both sync examples/gitops/releases, whose kustomization lists every file. */
  @Test
  void gitopsToolsSyncTheReleasesDirectory() throws IOException {
    Path gitops = EXAMPLES.resolve("gitops");
    JsonNode app = documents(gitops.resolve("argocd-application.yaml")).get(0);
    assertThat(app.path("apiVersion").asText()).isEqualTo("argoproj.io/v1alpha1");
    assertThat(app.path("kind").asText()).isEqualTo("Application");
    assertThat(app.at("/spec/destination/namespace").asText()).isEqualTo("web");
    Path argoPath = Path.of(app.at("/spec/source/path").asText());

    List<JsonNode> flux = documents(gitops.resolve("flux-kustomization.yaml"));
    assertThat(flux)
        .extracting(d -> d.path("kind").asText())
        .containsExactly("GitRepository", "Kustomization");
    JsonNode repo = flux.get(0);
    JsonNode ks = flux.get(1);
    assertThat(repo.path("apiVersion").asText()).isEqualTo("source.toolkit.fluxcd.io/v1");
    assertThat(ks.path("apiVersion").asText()).isEqualTo("kustomize.toolkit.fluxcd.io/v1");
    assertThat(ks.at("/spec/sourceRef/kind").asText()).isEqualTo("GitRepository");
    assertThat(ks.at("/spec/sourceRef/name")).isEqualTo(repo.at("/metadata/name"));
    assertThat(ks.at("/spec/targetNamespace").asText()).isEqualTo("web");
    assertThat(repo.at("/spec/url")).isEqualTo(app.at("/spec/source/repoURL"));
    Path fluxPath = Path.of(ks.at("/spec/path").asText()).normalize();

    // the example stands for the config repository: both paths are this folder
    assertThat(argoPath).isEqualTo(fluxPath).isEqualTo(gitops.resolve("releases"));
    JsonNode k = documents(argoPath.resolve("kustomization.yaml")).get(0);
    List<String> listed = new ArrayList<>();
    k.path("resources").forEach(r -> listed.add(r.asText()));
    try (Stream<Path> files = Files.list(argoPath)) {
      assertThat(listed)
          .containsExactlyInAnyOrderElementsOf(
              files
                  .map(f -> f.getFileName().toString())
                  .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml"))
                  .toList());
    }
  }

  @Test
  void aMutatedExampleFailsTheSchema() throws IOException {
    ObjectNode good = (ObjectNode) release(EXAMPLES.resolve("django/release.yaml"));
    assertThat(schema.validate(good)).isEmpty();

    ObjectNode unknownField = good.deepCopy();
    ((ObjectNode) unknownField.at("/spec/run")).put("replicaz", 3);
    assertThat(schema.validate(unknownField))
        .anySatisfy(m -> assertThat(m).contains("$.spec.run").contains("replicaz"));

    ObjectNode unknownTopLevel = good.deepCopy();
    ((ObjectNode) unknownTopLevel.get("spec")).putObject("rollback").put("to", 3);
    assertThat(schema.validate(unknownTopLevel))
        .anySatisfy(m -> assertThat(m).contains("$.spec").contains("rollback"));

    ObjectNode wrongType = good.deepCopy();
    ((ObjectNode) wrongType.at("/spec/run")).put("replicas", "two");
    assertThat(schema.validate(wrongType))
        .anySatisfy(m -> assertThat(m).contains("$.spec.run.replicas").contains("integer"));

    ObjectNode wrongListType = good.deepCopy();
    ((ObjectNode) wrongListType.at("/spec/run")).put("command", "gunicorn shop.wsgi");
    assertThat(schema.validate(wrongListType))
        .anySatisfy(m -> assertThat(m).contains("$.spec.run.command").contains("array"));

    ObjectNode missingRequired = good.deepCopy();
    ((ObjectNode) missingRequired.get("spec")).remove("image");
    assertThat(schema.validate(missingRequired)).anySatisfy(m -> assertThat(m).contains("image"));

    ObjectNode badPattern = good.deepCopy();
    ((ObjectNode) badPattern.at("/spec/hooks/preRollout/0")).put("name", "Migrate_DB");
    assertThat(schema.validate(badPattern))
        .anySatisfy(m -> assertThat(m).contains("$.spec.hooks.preRollout[0].name"));

    ObjectNode intOrString = good.deepCopy();
    ((ObjectNode) intOrString.at("/spec/run"))
        .putObject("resources")
        .putObject("limits")
        .put("cpu", 2)
        .put("memory", "256Mi");
    assertThat(schema.validate(intOrString)).as("int-or-string quantities").isEmpty();
  }

  /** The same mutations through the operator's reader: it agrees with the JSON-schema validator. */
  @Test
  void theManifestReaderRejectsTheSameMutations() throws IOException {
    String text = Files.readString(EXAMPLES.resolve("django/release.yaml"));
    for (String[] mutation :
        new String[][] {
          {"    replicas: 2\n", "    replicas: 2\n    replicaz: 3\n", "replicaz"},
          {"    replicas: 2\n", "    replicas: two\n", "replicas"},
        }) {
      assertThat(text).contains(mutation[0]);
      String mutated = text.replace(mutation[0], mutation[1]);
      try {
        ManifestReader.fromGeneratedCrd().read("mutated.yaml", mutated);
        fail("ManifestReader accepted a manifest with " + mutation[2]);
      } catch (ManifestException e) {
        assertThat(e.problems()).anySatisfy(p -> assertThat(p.toString()).contains(mutation[2]));
      }
      assertThat(schema.validate(YAML.readTree(mutated))).isNotEmpty();
    }
  }

  /** {@code app/} beside the manifest, or the app of the example the GitOps copy deploys. */
  static Path sourceOf(Path manifest) throws IOException {
    Path app = manifest.resolveSibling("app");
    if (Files.isDirectory(app)) {
      return app;
    }
    return appExampleFor(manifest).resolveSibling("app");
  }

  static Path appExampleFor(Path manifest) throws IOException {
    String url = release(manifest).at("/spec/source/git/url").asText();
    for (Path p : manifests()) {
      if (Files.isDirectory(p.resolveSibling("app"))
          && url.equals(release(p).at("/spec/source/git/url").asText())) {
        return p;
      }
    }
    throw new AssertionError(manifest + ": no examples/*/release.yaml with git url " + url);
  }

  static String indexUrl() {
    String url = System.getenv("PYRELEASE_INDEX_URL");
    if (url == null || url.isBlank()) {
      fail(
          "PYRELEASE_INDEX_URL is not set: start the test environment with `scripts/testenv up"
              + " && . .testenv/env` (the README's test command, scripts/test, does this)");
    }
    return url;
  }
}
