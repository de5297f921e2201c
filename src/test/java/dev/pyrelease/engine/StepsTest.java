package dev.pyrelease.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.image.ImageSettings;
import dev.pyrelease.image.VenvManifest;
import dev.pyrelease.index.IndexLocation;
import dev.pyrelease.python.ParsedRequirements;
import dev.pyrelease.release.VenvScript;
import dev.pyrelease.validate.ManifestReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StepsTest {
  @TempDir Path tmp;

  @Test
  void venvModeFollowsTheDependencyImageAndTheAppKind() {
    assertThat(VenvStep.mode(false, false, true)).isEqualTo(VenvStep.Mode.FULL);
    assertThat(VenvStep.mode(false, true, true)).isEqualTo(VenvStep.Mode.FULL);
    assertThat(VenvStep.mode(true, false, true)).isEqualTo(VenvStep.Mode.NONE);
    assertThat(VenvStep.mode(true, false, false)).isEqualTo(VenvStep.Mode.NONE);
    assertThat(VenvStep.mode(true, true, true)).isEqualTo(VenvStep.Mode.APP_ONLY);
    // the host runner cannot enter the dependency image: the venv in the base image, the release
    // on the dependency image
    assertThat(VenvStep.mode(true, true, false)).isEqualTo(VenvStep.Mode.FULL_REUSING);
  }

  @Test
  void buildCommandsNeedTheVenvSoTheVenvStepIsNeverSkipped() {
    assertThat(VenvStep.mode(false, false, true, true)).isEqualTo(VenvStep.Mode.FULL);
    // the dependency image holds the venv: the app and the commands run in it
    assertThat(VenvStep.mode(true, false, true, true)).isEqualTo(VenvStep.Mode.APP_ONLY);
    // the host runner and the build Job cannot enter it: the venv again in the base image
    assertThat(VenvStep.mode(true, false, false, true)).isEqualTo(VenvStep.Mode.FULL_REUSING);
    assertThat(VenvStep.mode(true, false, true, false)).isEqualTo(VenvStep.Mode.NONE);
  }

  @Test
  void thePlanCarriesTheBuildCommandsAndTheSourceStepWritesThemForTheScript() throws Exception {
    PythonRelease release =
        ManifestReader.fromGeneratedCrd().read(Path.of("examples/django/release.yaml")).release();
    release.getSpec().setBuild(new dev.pyrelease.api.v1alpha1.BuildSpec());
    List<List<String>> commands =
        List.of(List.of("python", "manage.py", "collectstatic", "--noinput"), List.of("true"));
    release.getSpec().getBuild().setCommands(commands);
    ParsedRequirements parsed =
        dev.pyrelease.release.ReleaseRequirements.read(
            release.getSpec(), Path.of("examples/django/app"));
    SourceStep.Inputs in =
        new SourceStep.Inputs(
            "tree:sha256:1",
            IndexLocation.simple("http://127.0.0.1:9/simple/"),
            "127.0.0.1:5000/python:3.11",
            "sha256:" + "a".repeat(64),
            "127.0.0.1:5000/web/shop",
            "pyrelease test");
    BuildPlan plan = SourceStep.plan("shop", release.getSpec(), parsed, in);
    assertThat(plan.buildCommands()).isEqualTo(commands);
    release.getSpec().setBuild(null);
    BuildPlan without = SourceStep.plan("shop", release.getSpec(), parsed, in);
    assertThat(without.buildCommands()).isEmpty();
    assertThat(plan.buildKey()).isNotEqualTo(without.buildKey());
    assertThat(plan.dependencyKey()).isEqualTo(without.dependencyKey());

    Workspace ws = new Workspace(tmp.resolve("ws"));
    SourceStep.prepare(ws, Path.of("examples/django/app"), plan, VenvScript.fromJar());
    assertThat(BuildPlan.read(ws.plan())).isEqualTo(plan);
    assertThat(Files.readString(ws.buildCommands()))
        .isEqualTo("[[\"python\",\"manage.py\",\"collectstatic\",\"--noinput\"],[\"true\"]]\n");
    // a plan of an older builder, without the field, reads as none
    String old =
        Files.readString(ws.plan()).replaceAll("(?s),\\s*\"buildCommands\".*\\]\\s*\\]", "");
    assertThat(old).doesNotContain("buildCommands");
    Files.writeString(ws.plan(), old);
    assertThat(BuildPlan.read(ws.plan()).buildCommands()).isEmpty();

    // a package app is installed into the venv: no /app for the commands to run in
    Path pkg = Files.createDirectories(tmp.resolve("pkg"));
    Files.writeString(pkg.resolve("pyproject.toml"), "[project]\nname = \"x\"\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> SourceStep.prepare(ws, pkg, plan, VenvScript.fromJar()))
        .isInstanceOfSatisfying(
            BuildException.class, e -> assertThat(e.kind()).isEqualTo(BuildException.Kind.INPUT))
        .hasMessageStartingWith(
            "spec.build.commands: the app (the source root) is a Python package");
  }

  @Test
  void aFailedBuildCommandsMessageIsItsErrorThenItsLastLines() throws Exception {
    Workspace ws = new Workspace(tmp.resolve("ws"));
    Files.createDirectories(ws.out());
    assertThat(VenvStep.commandsError(ws)).isNull();
    Files.writeString(
        ws.commandsError(),
        "  | Traceback (most recent call last):\n  | ValueError: boom\n"
            + "venv: error: build command 2 of 2 failed (exit code 1): python fail.py");
    assertThat(VenvStep.commandsError(ws))
        .isEqualTo(
            "build command 2 of 2 failed (exit code 1): python fail.py; its last output lines:\n"
                + "  | Traceback (most recent call last):\n"
                + "  | ValueError: boom");
    Files.writeString(ws.commandsError(), "venv: error: build command 1 of 1 is empty\n");
    assertThat(VenvStep.commandsError(ws)).isEqualTo("build command 1 of 1 is empty");
  }

  @Test
  void thePlanHoldsKeysPinsAndNoCredentialsAndRoundTrips() throws Exception {
    PythonRelease release =
        ManifestReader.fromGeneratedCrd().read(Path.of("examples/django/release.yaml")).release();
    ParsedRequirements parsed =
        dev.pyrelease.release.ReleaseRequirements.read(
            release.getSpec(), Path.of("examples/django/app"));
    SourceStep.Inputs in =
        new SourceStep.Inputs(
            "tree:sha256:1",
            IndexLocation.simple("http://user:secret@127.0.0.1:9/simple/"),
            "127.0.0.1:5000/python:3.11",
            "sha256:" + "a".repeat(64),
            "127.0.0.1:5000/web/shop",
            "pyrelease test");
    BuildPlan plan = SourceStep.plan("shop", release.getSpec(), parsed, in);
    assertThat(plan.requirements()).hasSize(7).allMatch(l -> l.contains(" --hash=sha256:"));
    assertThat(plan.requireHashes()).isTrue();
    assertThat(plan.indexUrl()).isEqualTo("http://127.0.0.1:9/simple/");
    assertThat(plan.command()).startsWith("gunicorn");
    assertThat(plan.port()).isEqualTo(8000);
    assertThat(plan.closurePins()).extracting(p -> p.normalizedName()).contains("django", "pillow");
    assertThat(plan.sourceUrl()).isEqualTo("https://git.internal/shop.git");

    Path file = tmp.resolve("plan.json");
    plan.write(file);
    assertThat(Files.readString(file)).doesNotContain("secret");
    assertThat(BuildPlan.read(file)).isEqualTo(plan);

    // the closure allowances travel in plan.json to the assemble step (the build Job's too), and
    // are in no key
    release.getSpec().getRequirements().setClosure(new dev.pyrelease.api.v1alpha1.ClosureSpec());
    release
        .getSpec()
        .getRequirements()
        .getClosure()
        .getIgnore()
        .add(new dev.pyrelease.api.v1alpha1.ClosureIgnore("Click_Repl", "shell only"));
    BuildPlan allowing = SourceStep.plan("shop", release.getSpec(), parsed, in);
    assertThat(allowing.closureIgnore()).isEqualTo(java.util.Map.of("click-repl", "shell only"));
    assertThat(allowing.buildKey()).isEqualTo(plan.buildKey());
    assertThat(allowing.dependencyKey()).isEqualTo(plan.dependencyKey());
    allowing.write(file);
    assertThat(BuildPlan.read(file)).isEqualTo(allowing);
    release.getSpec().getRequirements().setClosure(null);

    // a different base digest: another dependency key and build key
    BuildPlan other =
        SourceStep.plan(
            "shop",
            release.getSpec(),
            parsed,
            new SourceStep.Inputs(
                in.sourceId(),
                in.index(),
                in.baseImage(),
                "sha256:" + "b".repeat(64),
                in.repository(),
                in.builderVersion()));
    assertThat(other.dependencyKey()).isNotEqualTo(plan.dependencyKey());
    assertThat(other.buildKey()).isNotEqualTo(plan.buildKey());
  }

  @Test
  void theReleaseImageIsLabelledWithItsSourceUrlWithoutCredentialsAndItsRevision()
      throws Exception {
    PythonRelease release =
        ManifestReader.fromGeneratedCrd().read(Path.of("examples/django/release.yaml")).release();
    release.getSpec().getSource().getGit().setUrl("https://ci-token@git.internal/shop.git");
    ParsedRequirements parsed =
        dev.pyrelease.release.ReleaseRequirements.read(
            release.getSpec(), Path.of("examples/django/app"));
    BuildPlan plan =
        SourceStep.plan(
            "shop",
            release.getSpec(),
            parsed,
            new SourceStep.Inputs(
                "3f2a" + "0".repeat(36),
                IndexLocation.simple("http://127.0.0.1:9/simple/"),
                "127.0.0.1:5000/python:3.11",
                null,
                "127.0.0.1:5000/web/shop",
                "pyrelease test"));
    VenvManifest manifest =
        new VenvManifest(
            null,
            Workspace.VENV_PATH,
            List.of(),
            new VenvManifest.App(
                "files", "/app", List.of("manage.py"), null, null, null, null, null),
            List.of(),
            List.of());
    assertThat(AssembleStep.releaseSettings(plan, manifest).labels())
        .containsEntry(ImageSettings.LABEL_SOURCE, "https://git.internal/shop.git")
        .containsEntry(ImageSettings.LABEL_REVISION, "3f2a" + "0".repeat(36))
        .containsEntry(ImageSettings.LABEL_BUILD_KEY, plan.buildKey())
        .containsEntry(ImageSettings.LABEL_DEPENDENCY_KEY, plan.dependencyKey())
        .doesNotContainValue("https://ci-token@git.internal/shop.git");
  }

  @Test
  void distributionsOfAReusedDependencyImageComeFromThePins() {
    BuildPlan plan =
        new BuildPlan(
            "x",
            "b",
            "d",
            "s",
            null,
            "v",
            List.of(
                "django==5.2.17 --hash=sha256:" + "f".repeat(64),
                "kombu[redis]==5.6.2; python_version >= \"3.8\""),
            List.of(),
            "3.11",
            "http://i/simple/",
            List.of(),
            false,
            true,
            "base",
            null,
            "r",
            ".",
            List.of(),
            8000,
            List.of(),
            java.util.Map.of(),
            null,
            null);
    assertThat(AssembleStep.distributionsFromPins(plan))
        .containsExactly(
            new BuildResult.Distribution("django", "5.2.17", "f".repeat(64)),
            new BuildResult.Distribution("kombu", "5.6.2", null));
  }

  @Test
  void theSourceStepFillsTheWorkspace() throws Exception {
    Path src = tmp.resolve("src");
    Files.createDirectories(src.resolve("app/.git"));
    Files.writeString(src.resolve("app/main.py"), "print(1)\n");
    Files.writeString(src.resolve("app/.git/HEAD"), "x");
    BuildPlan plan =
        new BuildPlan(
            "x",
            "b",
            "d",
            "s",
            null,
            "v",
            List.of("sqlparse==0.6.0"),
            List.of(),
            "3.11",
            "http://i/simple/",
            List.of(),
            false,
            true,
            "base",
            null,
            "r",
            "app",
            List.of(),
            8000,
            List.of(),
            java.util.Map.of(),
            null,
            null);
    Workspace ws = new Workspace(tmp.resolve("ws"));
    assertThat(SourceStep.prepare(ws, src, plan, VenvScript.fromJar())).isEqualTo(1);
    assertThat(Files.readString(ws.requirements())).isEqualTo("sqlparse==0.6.0\n");
    assertThat(Files.isExecutable(ws.script())).isTrue();
    assertThat(Files.exists(ws.src().resolve("app/.git"))).isFalse();
    assertThat(BuildPlan.read(ws.plan())).isEqualTo(plan);
    assertThat(VenvStep.plainAppManifest(ws, plan).app().files()).containsExactly("main.py");
  }
}
