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
    // the host runner cannot enter the dependency image
    assertThat(VenvStep.mode(true, true, false)).isEqualTo(VenvStep.Mode.FULL);
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
            8000);
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
            8000);
    Workspace ws = new Workspace(tmp.resolve("ws"));
    assertThat(SourceStep.prepare(ws, src, plan, VenvScript.fromJar())).isEqualTo(1);
    assertThat(Files.readString(ws.requirements())).isEqualTo("sqlparse==0.6.0\n");
    assertThat(Files.isExecutable(ws.script())).isTrue();
    assertThat(Files.exists(ws.src().resolve("app/.git"))).isFalse();
    assertThat(BuildPlan.read(ws.plan())).isEqualTo(plan);
    assertThat(VenvStep.plainAppManifest(ws, plan).app().files()).containsExactly("main.py");
  }
}
