package dev.pyrelease.reconciler;

import static org.awaitility.Awaitility.await;

import dev.pyrelease.api.v1alpha1.Hook;
import dev.pyrelease.api.v1alpha1.HooksSpec;
import dev.pyrelease.api.v1alpha1.SecretRef;
import dev.pyrelease.kube.Labels;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * One release through everything the operator does, for the tests that look at the operator from
 * outside (metrics, logs, the API requests it makes): a transient git error, a git Secret, build
 * with a hook, first switch, a build Job made stale by a second spec change and deleted, a failed
 * build, a build on reused layers, blue/green switch with warm standby, warm rollback, roll forward
 * and a shorter revision history deleting a Deployment; a worker process with an autoscaler, a
 * disruption budget on web and a schedule, which follow the switches and go when the spec drops
 * them.
 */
final class Lifecycle {
  static final String NAME = "shop";
  static final String PASSWORD = "hunter2-never-logged";
  static final FakeGit GIT =
      new FakeGit()
          .ref("v1", OperatorTestBase.sha('1'))
          .ref("v2", OperatorTestBase.sha('2'))
          .ref("v3", OperatorTestBase.sha('3'))
          .ref("v4", OperatorTestBase.sha('4'));

  /** r1: two layers pushed, one found; r4: everything found but the app layer. */
  static final String R1_RESULT =
      result('a', "[" + layer(1000, true) + "," + layer(2000, true) + "," + layer(50, false) + "]");

  static final String R4_RESULT =
      result(
          'd',
          "["
              + layer(1000, false)
              + ","
              + layer(2000, false)
              + ","
              + layer(50, false)
              + ","
              + layer(7, true)
              + "]");

  private Lifecycle() {}

  static String result(char digest, String layers) {
    String d = OperatorTestBase.digest(digest);
    return "{\"image\":\""
        + Kube.REPO
        + "@"
        + d
        + "\",\"digest\":\""
        + d
        + "\",\"buildKey\":\"k\",\"venvStep\":\"full\",\"tags\":[\"build-k\"],\"layers\":"
        + layers
        + ",\"distributions\":[],\"closure\":{\"ok\":true,\"problems\":[]}}";
  }

  private static int layerNo;

  static String layer(long size, boolean uploaded) {
    return "{\"name\":\"l"
        + (layerNo++)
        + "\",\"digest\":\"sha256:"
        + "0".repeat(64)
        + "\",\"sizeBytes\":"
        + size
        + ",\"uploaded\":"
        + uploaded
        + "}";
  }

  static void run(Kube kube, String ns) {
    kube.client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("shop-git")
                .withNamespace(ns)
                .endMetadata()
                .withData(
                    Map.of(
                        "username", b64("deploy"),
                        "password", b64(PASSWORD)))
                .build())
        .create();
    GIT.transientFailures.set(1); // the first reconcile throws; JOSDK retries
    var r = Kube.release(ns, NAME, "v1");
    SecretRef ref = new SecretRef();
    ref.setName("shop-git");
    r.getSpec().getSource().getGit().setSecretRef(ref);
    Hook migrate = new Hook();
    migrate.setName("migrate");
    migrate.setCommand(List.of("python", "manage.py", "migrate"));
    HooksSpec hooks = new HooksSpec();
    hooks.setPreRollout(List.of(migrate));
    r.getSpec().setHooks(hooks);
    r.getSpec().setRevisionHistoryLimit(3);
    var worker = new dev.pyrelease.api.v1alpha1.ProcessSpec();
    worker.setCommand(List.of("python", "manage.py", "worker"));
    var scaling = new dev.pyrelease.api.v1alpha1.AutoscalingSpec();
    scaling.setMaxReplicas(3);
    worker.setAutoscaling(scaling);
    r.getSpec().setProcesses(Map.of("worker", worker));
    var budget = new dev.pyrelease.api.v1alpha1.DisruptionSpec();
    budget.setMinAvailable(new io.fabric8.kubernetes.api.model.IntOrString(1));
    r.getSpec().getRun().setDisruption(budget);
    var cleanup = new dev.pyrelease.api.v1alpha1.ScheduleSpec();
    cleanup.setName("cleanup");
    cleanup.setSchedule("*/15 * * * *");
    cleanup.setCommand(List.of("python", "manage.py", "cleanup"));
    r.getSpec().setSchedules(List.of(cleanup));
    kube.create(r);

    // r1: build, hook, Deployment, first switch (Service created)
    kube.buildSucceedsWith(ns, "shop-build-r1", R1_RESULT);
    kube.hookFinishes(ns, Labels.hookJobName(NAME, 1, "migrate"), true);
    kube.makeAvailable(ns, "shop-r1");
    kube.makeAvailable(ns, "shop-r1-worker");
    awaitSelected(kube, ns, 1);

    // v2 starts building, v3 replaces it before it ends: the v2 Job is deleted; v3 fails
    kube.editSpec(ns, NAME, s -> s.getSource().getGit().setRef("v2"));
    awaitBuildOf(kube, ns, '2');
    kube.editSpec(ns, NAME, s -> s.getSource().getGit().setRef("v3"));
    await()
        .atMost(Kube.WAIT)
        .until(
            () ->
                kube.buildJobs(ns, NAME).stream()
                    .noneMatch(
                        j ->
                            OperatorTestBase.sha('2').equals(Labels.annotation(j, Labels.COMMIT))));
    String v3 = awaitBuildOf(kube, ns, '3').getMetadata().getName();
    kube.buildFails(ns, v3, "venv", "ERROR: No matching distribution found for django==9");
    OperatorTestBase.awaitRelease(
        kube, ns, NAME, x -> OperatorTestBase.hasCondition(x, "Built", "False", "BuildFailed"));

    // v4: built on reused layers, hook, blue/green switch (Service updated), r1 warm
    kube.editSpec(ns, NAME, s -> s.getSource().getGit().setRef("v4"));
    Job v4 = awaitBuildOf(kube, ns, '4');
    int n4 = Labels.revisionOf(v4);
    kube.buildSucceedsWith(ns, v4.getMetadata().getName(), R4_RESULT);
    kube.hookFinishes(ns, Labels.hookJobName(NAME, n4, "migrate"), true);
    kube.makeAvailable(ns, Labels.deploymentName(NAME, n4));
    kube.makeAvailable(ns, Labels.deploymentName(NAME, n4, "worker"));
    awaitSelected(kube, ns, n4);
    await()
        .atMost(Kube.WAIT)
        .until(
            () -> Labels.annotation(kube.deployment(ns, "shop-r1"), Labels.STANDBY_SINCE) != null);

    // warm rollback to r1, then forward again with a shorter history: r1's Deployment goes
    kube.editSpec(ns, NAME, s -> s.setRevision(1));
    awaitSelected(kube, ns, 1);
    kube.editSpec(
        ns,
        NAME,
        s -> {
          s.setRevision(null);
          s.setRevisionHistoryLimit(1);
        });
    awaitSelected(kube, ns, n4);
    await().atMost(Kube.WAIT).until(() -> kube.deployment(ns, "shop-r1") == null);

    // the spec drops the schedule, the worker's autoscaler and web's budget: they go
    kube.editSpec(
        ns,
        NAME,
        s -> {
          s.setSchedules(null);
          s.getProcesses().get("worker").setAutoscaling(null);
          s.getRun().setDisruption(null);
        });
    await()
        .atMost(Kube.WAIT)
        .until(
            () ->
                kube.client.batch().v1().cronjobs().inNamespace(ns).list().getItems().isEmpty()
                    && kube.client
                        .autoscaling()
                        .v2()
                        .horizontalPodAutoscalers()
                        .inNamespace(ns)
                        .list()
                        .getItems()
                        .isEmpty()
                    && kube.client
                        .policy()
                        .v1()
                        .podDisruptionBudget()
                        .inNamespace(ns)
                        .list()
                        .getItems()
                        .isEmpty());
  }

  static Job awaitBuildOf(Kube kube, String ns, char commit) {
    return await()
        .atMost(Kube.WAIT)
        .until(
            () ->
                kube.buildJobs(ns, NAME).stream()
                    .filter(
                        j ->
                            OperatorTestBase.sha(commit)
                                .equals(Labels.annotation(j, Labels.COMMIT)))
                    .findFirst()
                    .orElse(null),
            j -> j != null);
  }

  static void awaitSelected(Kube kube, String ns, int revision) {
    await().atMost(Kube.WAIT).until(() -> kube.selected(ns, NAME) == revision);
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
