package dev.pyrelease.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pyrelease.api.v1alpha1.Hook;
import dev.pyrelease.api.v1alpha1.HooksSpec;
import dev.pyrelease.api.v1alpha1.Phase;
import dev.pyrelease.api.v1alpha1.RevisionState;
import dev.pyrelease.api.v1alpha1.SecretRef;
import dev.pyrelease.http.Digests;
import dev.pyrelease.kube.Labels;
import dev.pyrelease.operator.PyreleaseOperator;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What goes wrong: bad input, failed builds and hooks, rollouts that never become available. */
@EnableKubernetesMockClient(crud = true)
class OperatorFailureTest extends OperatorTestBase {
  static KubernetesClient client;
  static KubernetesMockServer server;
  static PyreleaseOperator operator;
  static final FakeGit GIT =
      new FakeGit()
          .ref("v1", sha('1'))
          .ref("v2", sha('2'))
          .file(sha('1'), "requirements/prod.txt", "-r base.txt\nflask>=3.0\n")
          .file(sha('1'), "requirements/base.txt", "gunicorn==23.0.0\n")
          .file(sha('2'), "requirements/prod.txt", "-r base.txt\nflask==3.1.0\n")
          .file(sha('2'), "requirements/base.txt", "gunicorn==23.0.0\n");
  Kube kube;

  @BeforeAll
  static void start() {
    operator = startOperator(client, GIT);
  }

  @AfterAll
  static void stop() {
    operator.close();
  }

  @BeforeEach
  void kube() {
    kube = new Kube(client);
  }

  List<Event> events(String ns) {
    return client.v1().events().inNamespace(ns).list().getItems();
  }

  boolean createdNothing(String ns) {
    return client.batch().v1().jobs().inNamespace(ns).list().getItems().isEmpty()
        && client.apps().deployments().inNamespace(ns).list().getItems().isEmpty()
        && client.services().inNamespace(ns).list().getItems().isEmpty();
  }

  @Test
  void unpinnedRequirementInRepoFileIsRejectedWithFileAndLine() {
    String ns = freshNamespace(kube);
    var r = Kube.release(ns, "shop", "v1");
    r.getSpec().getRequirements().setInline(null);
    r.getSpec().getRequirements().setFile("requirements/prod.txt");
    kube.create(r);
    var failed =
        awaitRelease(
            kube, ns, "shop", x -> hasCondition(x, "Built", "False", "InvalidRequirements"));
    assertThat(condition(failed, "Built").getMessage())
        .contains("requirements/prod.txt:2")
        .contains("flask>=3.0");
    assertThat(failed.getStatus().getPhase()).isEqualTo(Phase.Failed);
    await()
        .until(
            () ->
                events(ns).stream()
                    .anyMatch(
                        e ->
                            "InvalidRequirements".equals(e.getReason())
                                && "Warning".equals(e.getType())));
    assertThat(createdNothing(ns)).isTrue();

    // fixed by the next commit: re-evaluated on the spec change, builds
    kube.editSpec(ns, "shop", s -> s.getSource().getGit().setRef("v2"));
    kube.awaitJob(ns, "shop-build-r1");
  }

  @Test
  void aMissingRequirementsFileIsReportedAtTheSpecFieldNotAtLineZero() {
    String ns = freshNamespace(kube);
    var r = Kube.release(ns, "shop", "v1");
    r.getSpec().getRequirements().setInline(null);
    r.getSpec().getRequirements().setFile("requirements/nope.txt");
    kube.create(r);
    var failed =
        awaitRelease(
            kube, ns, "shop", x -> hasCondition(x, "Built", "False", "InvalidRequirements"));
    assertThat(condition(failed, "Built").getMessage())
        .startsWith(
            "pythonrelease/"
                + ns
                + "/shop: spec.requirements.file 'requirements/nope.txt': file not found \u2014")
        .doesNotContain(":0");
    assertThat(createdNothing(ns)).isTrue();
  }

  @Test
  void invalidSpecCreatesNothingAndIsNotRetried() throws Exception {
    String ns = freshNamespace(kube);
    var r = Kube.release(ns, "shop", "v1");
    r.getSpec().getImage().setRepository("registry.test/web/shop:latest");
    kube.create(r);
    var failed =
        awaitRelease(
            kube, ns, "shop", x -> hasCondition(x, "SourceResolved", "False", "InvalidSpec"));
    assertThat(condition(failed, "SourceResolved").getMessage())
        .contains("spec.image.repository")
        .contains("has a tag");
    Thread.sleep(1000);
    assertThat(createdNothing(ns)).isTrue();
    assertThat(events(ns).stream().filter(e -> "InvalidSpec".equals(e.getReason()))).hasSize(1);
  }

  @Test
  void aBaseImageTheRegistryDoesNotHaveIsTerminal() {
    String ns = freshNamespace(kube);
    var r = Kube.release(ns, "shop", "v2");
    r.getSpec().getPython().setBaseImage("registry.test/missing:3.11");
    kube.create(r);
    var failed =
        awaitRelease(kube, ns, "shop", x -> hasCondition(x, "Built", "False", "BaseImageNotFound"));
    assertThat(condition(failed, "Built").getMessage())
        .startsWith("spec.python.baseImage: the base image registry.test/missing:3.11")
        .contains("push it, or name an existing image");
    assertThat(failed.getStatus().getPhase()).isEqualTo(Phase.Failed);
    assertThat(createdNothing(ns)).isTrue();
  }

  @Test
  void aBuildImageIsResolvedLikeTheBaseAndRunsTheVenvStepWhileTheBaseChecksAround() {
    String ns = freshNamespace(kube);
    String base = "registry.test/python-" + ns + ":3.11";
    String build = "registry.test/python-build-" + ns + ":3.11";
    var r = Kube.release(ns, "shop", "v2");
    r.getSpec().getPython().setBaseImage(base);
    r.getSpec().getPython().setBuildImage(build);
    kube.create(r);
    var job = kube.awaitJob(ns, "shop-build-r1");
    String pinnedBase = base + "@sha256:" + Digests.sha256(base);
    String pinnedBuild = build + "@sha256:" + Digests.sha256(build);
    assertThat(job.getSpec().getTemplate().getSpec().getInitContainers())
        .extracting(c -> c.getName() + " " + c.getImage())
        .containsExactly(
            "source registry.test/pyrelease:test",
            "interpreter " + pinnedBase,
            "venv " + pinnedBuild,
            "libraries " + pinnedBase);

    String other = freshNamespace(kube);
    var missing = Kube.release(other, "shop", "v2");
    missing.getSpec().getPython().setBuildImage("registry.test/missing:3.11");
    kube.create(missing);
    var failed =
        awaitRelease(
            kube, other, "shop", x -> hasCondition(x, "Built", "False", "BuildImageNotFound"));
    assertThat(condition(failed, "Built").getMessage())
        .startsWith("spec.python.buildImage: the build image registry.test/missing:3.11")
        .contains("unset it to build in the base image");
    assertThat(createdNothing(other)).isTrue();
  }

  @Test
  void theBaseDigestIsAskedWithThePushSecretAndTheJobRunsThatDigest() {
    String ns = freshNamespace(kube);
    String config = "{\"auths\":{\"registry.test\":{\"auth\":\"ZGVwbG95OnMzY3JldA==\"}}}";
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("push")
                .withNamespace(ns)
                .endMetadata()
                .withType("kubernetes.io/dockerconfigjson")
                .withData(
                    Map.of(
                        ".dockerconfigjson",
                        Base64.getEncoder()
                            .encodeToString(config.getBytes(StandardCharsets.UTF_8))))
                .build())
        .create();
    String base = "registry.test/private-" + ns + ":3.11";
    var r = Kube.release(ns, "shop", "v2");
    r.getSpec().getPython().setBaseImage(base);
    SecretRef push = new SecretRef();
    push.setName("push");
    r.getSpec().getImage().setPushSecretRef(push);
    kube.create(r);
    var job = kube.awaitJob(ns, "shop-build-r1");
    assertThat(new String(PULL_SECRETS.get(base), StandardCharsets.UTF_8)).isEqualTo(config);
    assertThat(job.getSpec().getTemplate().getSpec().getInitContainers())
        .filteredOn(c -> c.getName().equals("venv"))
        .singleElement()
        .satisfies(
            c -> assertThat(c.getImage()).isEqualTo(base + "@sha256:" + Digests.sha256(base)));
    kube.buildSucceeds(ns, "shop-build-r1", digest('a'));
    var built =
        awaitRelease(
            kube,
            ns,
            "shop",
            x -> x.getStatus().getRevisions() != null && !x.getStatus().getRevisions().isEmpty());
    assertThat(built.getStatus().getRevisions().get(0).getBaseImage())
        .as("status records the base each revision was built on, pinned to its digest")
        .isEqualTo(base + "@sha256:" + Digests.sha256(base));
  }

  @Test
  void unknownRefIsTerminal() {
    String ns = freshNamespace(kube);
    kube.create(Kube.release(ns, "shop", "nope"));
    var failed =
        awaitRelease(
            kube, ns, "shop", x -> hasCondition(x, "SourceResolved", "False", "UnknownRef"));
    assertThat(condition(failed, "SourceResolved").getMessage()).contains("'nope'");
    assertThat(createdNothing(ns)).isTrue();
  }

  @Test
  void buildFailureIsRecordedAndServingRevisionKeepsServing() {
    String ns = freshNamespace(kube);
    kube.create(Kube.release(ns, "shop", "v1"));
    kube.buildSucceeds(ns, "shop-build-r1", digest('a'));
    kube.makeAvailable(ns, "shop-r1");
    await().atMost(Kube.WAIT).until(() -> kube.selected(ns, "shop") == 1);

    kube.editSpec(ns, "shop", s -> s.getSource().getGit().setRef("v2"));
    kube.buildFails(
        ns, "shop-build-r2", "venv", "ERROR: No matching distribution found for django==5.2.1");
    var failed =
        awaitRelease(kube, ns, "shop", x -> hasCondition(x, "Built", "False", "BuildFailed"));
    assertThat(condition(failed, "Built").getMessage())
        .contains("container venv failed (Error, exit 1)")
        .contains("No matching distribution");
    assertThat(failed.getStatus().getRevisions().get(0).getState()).isEqualTo(RevisionState.Failed);
    assertThat(failed.getStatus().getCurrentRevision()).isEqualTo(1);
    assertThat(kube.selected(ns, "shop")).isEqualTo(1);
    assertThat(kube.deployment(ns, "shop-r2")).isNull();
    await().until(() -> events(ns).stream().anyMatch(e -> "BuildFailed".equals(e.getReason())));
  }

  @Test
  void failedHookStopsTheRollout() {
    String ns = freshNamespace(kube);
    var r = Kube.release(ns, "shop", "v1");
    Hook migrate = new Hook();
    migrate.setName("migrate");
    migrate.setCommand(List.of("python", "manage.py", "migrate", "--noinput"));
    Hook warm = new Hook();
    warm.setName("warm-cache");
    warm.setCommand(List.of("python", "manage.py", "warm"));
    HooksSpec hooks = new HooksSpec();
    hooks.setPreRollout(List.of(migrate, warm));
    r.getSpec().setHooks(hooks);
    kube.create(r);
    kube.buildSucceeds(ns, "shop-build-r1", digest('a'));
    var hookJob = kube.awaitJob(ns, "shop-r1-migrate");
    assertThat(hookJob.getMetadata().getLabels())
        .containsEntry(Labels.HOOK, "migrate")
        .containsEntry(Labels.REVISION, "1");
    assertThat(hookJob.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo(Kube.REPO + "@" + digest('a'));
    assertThat(kube.deployment(ns, "shop-r1")).as("hooks run before the Deployment").isNull();
    kube.hookFinishes(ns, "shop-r1-migrate", true);
    kube.awaitJob(ns, "shop-r1-warm-cache");
    kube.hookFinishes(ns, "shop-r1-warm-cache", true);
    kube.makeAvailable(ns, "shop-r1");
    await().atMost(Kube.WAIT).until(() -> kube.selected(ns, "shop") == 1);

    kube.editSpec(ns, "shop", s -> s.getSource().getGit().setRef("v2"));
    kube.buildSucceeds(ns, "shop-build-r2", digest('b'));
    kube.hookFinishes(ns, "shop-r2-migrate", false);
    var failed =
        awaitRelease(kube, ns, "shop", x -> hasCondition(x, "Degraded", "True", "HookFailed"));
    assertThat(condition(failed, "Degraded").getMessage())
        .contains("hook migrate failed")
        .contains("migration 0042 failed");
    assertThat(client.batch().v1().jobs().inNamespace(ns).withName("shop-r2-warm-cache").get())
        .isNull();
    assertThat(kube.deployment(ns, "shop-r2")).isNull();
    assertThat(kube.selected(ns, "shop")).isEqualTo(1);
    assertThat(failed.getStatus().getRevisions().get(0).getState()).isEqualTo(RevisionState.Failed);
    await().until(() -> events(ns).stream().anyMatch(e -> "HookFailed".equals(e.getReason())));
  }

  @Test
  void progressDeadlineKeepsTrafficAndSetsDegraded() {
    String ns = freshNamespace(kube);
    kube.create(Kube.release(ns, "shop", "v1"));
    kube.buildSucceeds(ns, "shop-build-r1", digest('a'));
    kube.makeAvailable(ns, "shop-r1");
    await().atMost(Kube.WAIT).until(() -> kube.selected(ns, "shop") == 1);

    kube.editSpec(
        ns,
        "shop",
        s -> {
          s.getSource().getGit().setRef("v2");
          s.getRollout().setProgressDeadlineSeconds(1);
        });
    kube.buildSucceeds(ns, "shop-build-r2", digest('b'));
    var degraded =
        awaitRelease(
            kube, ns, "shop", x -> hasCondition(x, "Degraded", "True", "ProgressDeadlineExceeded"));
    assertThat(condition(degraded, "Degraded").getMessage())
        .contains("revision 2 did not become available within 1s")
        .contains("traffic stays on revision 1");
    assertThat(kube.selected(ns, "shop")).isEqualTo(1);
    assertThat(degraded.getStatus().getCurrentRevision()).isEqualTo(1);
    await()
        .until(
            () ->
                events(ns).stream()
                    .anyMatch(e -> "ProgressDeadlineExceeded".equals(e.getReason())));

    // it may still come up: then traffic moves and Degraded clears
    kube.makeAvailable(ns, "shop-r2");
    awaitRelease(
        kube,
        ns,
        "shop",
        x ->
            hasCondition(x, "Degraded", "False", "AsExpected")
                && Integer.valueOf(2).equals(x.getStatus().getCurrentRevision()));
  }

  @Test
  void transientGitErrorsAreRetriedNotTerminal() {
    String ns = freshNamespace(kube);
    GIT.transientFailures.set(3);
    kube.create(Kube.release(ns, "shop", "v1"));
    // thrown, JOSDK retries with backoff (200 ms, 400 ms, 800 ms), then the build starts
    kube.awaitJob(ns, "shop-build-r1");
    var r = awaitRelease(kube, ns, "shop", x -> x.getStatus().getPhase() == Phase.Building);
    assertThat(hasCondition(r, "SourceResolved", "True", "Resolved")).isTrue();
  }
}
