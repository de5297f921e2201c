package dev.pyrelease.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.engine.BuildPlan;
import dev.pyrelease.engine.SourceStep;
import dev.pyrelease.index.IndexLocation;
import dev.pyrelease.python.ParsedRequirements;
import dev.pyrelease.release.BaseImageRef;
import dev.pyrelease.release.ReleaseRequirements;
import dev.pyrelease.validate.ManifestReader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The reconciler's build key (what decides that a retained revision is re-activated) and the one
 * the build's source step computes (the image's label and its {@code build-<key>} tag) agree.
 */
class BuildInputsTest {
  static final String COMMIT = "3f2a" + "0".repeat(36);
  static final String DIGEST = "sha256:" + "a".repeat(64);
  static final String BASE = "127.0.0.1:5000/python:3.11@" + DIGEST;
  static final String TAG = "127.0.0.1:5000/python:3.11";

  BuildPlan plan(PythonRelease r, ParsedRequirements parsed) {
    return SourceStep.plan(
        "shop",
        r.getSpec(),
        parsed,
        new SourceStep.Inputs(
            COMMIT,
            IndexLocation.simple(r.getSpec().getIndex().getUrl()),
            BASE,
            "sha256:" + "a".repeat(64),
            "127.0.0.1:5000/web/shop",
            "pyrelease test"));
  }

  @Test
  void theDistributionsRecordedAreThePinsTheVenvStepInstalls() throws Exception {
    PythonRelease r =
        ManifestReader.fromGeneratedCrd().read(Path.of("examples/django/release.yaml")).release();
    ParsedRequirements parsed =
        ReleaseRequirements.read(r.getSpec(), Path.of("examples/django/app"));
    var recorded =
        BuildInputs.of(r, COMMIT, parsed, new BaseImageRef(BASE, DIGEST), "pyrelease test")
            .distributions();
    var installed =
        plan(r, parsed).pins().stream()
            .map(
                p ->
                    dev.pyrelease.python.PackageName.normalize(p.name())
                        + "=="
                        + dev.pyrelease.python.Version.parse(p.version()))
            .sorted()
            .distinct()
            .toList();
    assertThat(recorded).isEqualTo(installed).contains("django==5.2.17", "gunicorn==26.2.0");
  }

  @Test
  void theReconcilersKeyIsTheSourceStepsForAPinnedBaseWhateverTheAppPath() throws Exception {
    PythonRelease r =
        ManifestReader.fromGeneratedCrd().read(Path.of("examples/django/release.yaml")).release();
    ParsedRequirements parsed =
        ReleaseRequirements.read(r.getSpec(), Path.of("examples/django/app"));
    String root =
        BuildInputs.of(r, COMMIT, parsed, new BaseImageRef(BASE, DIGEST), "pyrelease test")
            .buildKey();
    assertThat(plan(r, parsed).buildKey()).isEqualTo(root);

    // another app directory of the same commit is another image, for both
    r.getSpec().getSource().setPath("services/shop");
    String sub =
        BuildInputs.of(r, COMMIT, parsed, new BaseImageRef(BASE, DIGEST), "pyrelease test")
            .buildKey();
    assertThat(sub).isNotEqualTo(root);
    BuildPlan p = plan(r, parsed);
    assertThat(p.buildKey()).isEqualTo(sub);
    // the revision label stays the commit
    assertThat(p.source()).isEqualTo(COMMIT);
  }

  @Test
  void aBaseGivenByTagIsKeyedPinnedToItsDigestOnBothSides() throws Exception {
    PythonRelease r =
        ManifestReader.fromGeneratedCrd().read(Path.of("examples/django/release.yaml")).release();
    ParsedRequirements parsed =
        ReleaseRequirements.read(r.getSpec(), Path.of("examples/django/app"));
    BuildInputs in = BuildInputs.of(r, COMMIT, parsed, new BaseImageRef(TAG, DIGEST), "v");
    // the Job runs (and the source step keys) the tag pinned to the digest the operator resolved
    assertThat(in.baseImage()).isEqualTo(TAG + "@" + DIGEST);
    BuildPlan fromTheJob =
        SourceStep.plan(
            "shop",
            r.getSpec(),
            parsed,
            new SourceStep.Inputs(
                COMMIT,
                IndexLocation.simple(r.getSpec().getIndex().getUrl()),
                in.baseImage(),
                DIGEST,
                "127.0.0.1:5000/web/shop",
                "v"));
    assertThat(fromTheJob.buildKey()).isEqualTo(in.buildKey());
    // and pyrelease build resolving the tag itself keys the same
    BuildPlan local =
        SourceStep.plan(
            "shop",
            r.getSpec(),
            parsed,
            new SourceStep.Inputs(
                COMMIT,
                IndexLocation.simple(r.getSpec().getIndex().getUrl()),
                TAG,
                DIGEST,
                "127.0.0.1:5000/web/shop",
                "v"));
    assertThat(local.buildKey()).isEqualTo(in.buildKey());
  }

  @Test
  void aBuildImageIsKeyedAsTheJobsSourceStepAndPyreleaseBuildKeyIt() throws Exception {
    PythonRelease r =
        ManifestReader.fromGeneratedCrd().read(Path.of("examples/django/release.yaml")).release();
    ParsedRequirements parsed =
        ReleaseRequirements.read(r.getSpec(), Path.of("examples/django/app"));
    String buildTag = "127.0.0.1:5000/python-build:3.11";
    String buildDigest = "sha256:" + "b".repeat(64);
    r.getSpec().getPython().setBuildImage(buildTag);
    BuildInputs without = BuildInputs.of(r, COMMIT, parsed, new BaseImageRef(TAG, DIGEST), "v");
    BuildInputs in =
        BuildInputs.of(
            r,
            COMMIT,
            parsed,
            new BaseImageRef(TAG, DIGEST),
            new BaseImageRef(buildTag, buildDigest),
            "v");
    assertThat(in.buildImage()).isEqualTo(buildTag + "@" + buildDigest);
    assertThat(in.buildKey()).isNotEqualTo(without.buildKey());
    // the Job's source step reads the spec with the build image the operator pinned
    r.getSpec().getPython().setBuildImage(in.buildImage());
    String chosen = BaseImageRef.chooseBuild(r.getSpec(), in.baseImage());
    BuildPlan fromTheJob =
        SourceStep.plan(
            "shop",
            r.getSpec(),
            parsed,
            new SourceStep.Inputs(
                COMMIT,
                IndexLocation.simple(r.getSpec().getIndex().getUrl()),
                in.baseImage(),
                DIGEST,
                "127.0.0.1:5000/web/shop",
                "v",
                chosen,
                buildDigest));
    assertThat(fromTheJob.buildKey()).isEqualTo(in.buildKey());
    assertThat(fromTheJob.buildImage()).isEqualTo(in.buildImage());
    // pyrelease build resolves the tag itself and keys the same
    BuildPlan local =
        SourceStep.plan(
            "shop",
            r.getSpec(),
            parsed,
            new SourceStep.Inputs(
                COMMIT,
                IndexLocation.simple(r.getSpec().getIndex().getUrl()),
                TAG,
                DIGEST,
                "127.0.0.1:5000/web/shop",
                "v",
                buildTag,
                buildDigest));
    assertThat(local.buildKey()).isEqualTo(in.buildKey());
    assertThat(local.dependencyKey()).isEqualTo(fromTheJob.dependencyKey());
  }
}
