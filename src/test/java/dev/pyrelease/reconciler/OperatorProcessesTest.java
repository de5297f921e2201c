package dev.pyrelease.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pyrelease.api.v1alpha1.AutoscalingSpec;
import dev.pyrelease.api.v1alpha1.DisruptionSpec;
import dev.pyrelease.api.v1alpha1.ProcessSpec;
import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.api.v1alpha1.ScheduleSpec;
import dev.pyrelease.kube.Labels;
import dev.pyrelease.operator.PyreleaseOperator;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A whole application as one revision on the mock API server: web and a worker, a schedule, an
 * autoscaler and a disruption budget, created together, switched together and rolled back together;
 * a worker that never becomes available keeps traffic and the old workers where they are. The test
 * plays the Deployment controller and the autoscaler.
 */
@EnableKubernetesMockClient(crud = true)
class OperatorProcessesTest extends OperatorTestBase {
  static KubernetesClient client;
  static KubernetesMockServer server;
  static PyreleaseOperator operator;
  static final FakeGit GIT =
      new FakeGit().ref("v1", sha('1')).ref("v2", sha('2')).ref("v3", sha('3'));
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

  static PythonRelease app(String ns) {
    PythonRelease r = Kube.release(ns, "shop", "v1");
    ProcessSpec worker = new ProcessSpec();
    worker.setCommand(List.of("python", "manage.py", "worker"));
    worker.setReplicas(2);
    AutoscalingSpec scaling = new AutoscalingSpec();
    scaling.setMinReplicas(2);
    scaling.setMaxReplicas(10);
    worker.setAutoscaling(scaling);
    Map<String, ProcessSpec> processes = new LinkedHashMap<>();
    processes.put("worker", worker);
    r.getSpec().setProcesses(processes);
    DisruptionSpec budget = new DisruptionSpec();
    budget.setMinAvailable(new IntOrString(1));
    r.getSpec().getRun().setDisruption(budget);
    ScheduleSpec cleanup = new ScheduleSpec();
    cleanup.setName("cleanup");
    cleanup.setSchedule("*/15 * * * *");
    cleanup.setCommand(List.of("python", "manage.py", "clearsessions"));
    r.getSpec().setSchedules(List.of(cleanup));
    return r;
  }

  /** Creates the app and takes it to revision 1 serving. */
  void firstRevision(String ns) {
    kube.create(app(ns));
    kube.buildSucceeds(ns, "shop-build-r1", digest('a'));
    kube.awaitDeployment(ns, "shop-r1-worker");
    kube.makeAvailable(ns, "shop-r1");
    kube.makeAvailable(ns, "shop-r1-worker");
    await().atMost(Kube.WAIT).until(() -> kube.selected(ns, "shop") == 1);
  }

  @Test
  void createMakesEveryProcessScheduleAutoscalerAndBudgetOfOneRevision() {
    String ns = freshNamespace(kube);
    kube.create(app(ns));
    kube.buildSucceeds(ns, "shop-build-r1", digest('a'));
    Deployment web = kube.awaitDeployment(ns, "shop-r1");
    Deployment worker = kube.awaitDeployment(ns, "shop-r1-worker");
    assertThat(worker.getSpec().getReplicas()).isEqualTo(2);
    assertThat(worker.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo(web.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
    assertThat(worker.getMetadata().getLabels()).containsEntry(Labels.PROCESS, "worker");

    kube.makeAvailable(ns, "shop-r1");
    await()
        .during(java.time.Duration.ofMillis(500))
        .atMost(Kube.WAIT)
        .until(() -> kube.service(ns, "shop") == null);
    // no schedule, autoscaler or budget before a revision serves
    assertThat(cronJobs(ns)).isEmpty();
    assertThat(autoscalers(ns)).isEmpty();

    kube.makeAvailable(ns, "shop-r1-worker");
    await().atMost(Kube.WAIT).until(() -> kube.selected(ns, "shop") == 1);
    assertThat(kube.service(ns, "shop").getSpec().getSelector())
        .containsEntry(Labels.PROCESS, "web");
    PythonRelease ready =
        awaitRelease(kube, ns, "shop", x -> hasCondition(x, "Ready", "True", "Serving"));
    assertThat(ready.getStatus().getRevisions().get(0).getServedAt()).isNotNull();

    CronJob cron = await().atMost(Kube.WAIT).until(() -> cronJob(ns), c -> c != null);
    assertThat(image(cron)).isEqualTo(Kube.REPO + "@" + digest('a'));
    assertThat(cron.getMetadata().getLabels()).containsEntry(Labels.REVISION, "1");
    HorizontalPodAutoscaler hpa =
        await().atMost(Kube.WAIT).until(() -> autoscaler(ns), h -> h != null);
    assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("shop-r1-worker");
    PodDisruptionBudget pdb =
        await()
            .atMost(Kube.WAIT)
            .until(
                () ->
                    client
                        .policy()
                        .v1()
                        .podDisruptionBudget()
                        .inNamespace(ns)
                        .withName("shop-web")
                        .get(),
                p -> p != null);
    assertThat(pdb.getSpec().getSelector().getMatchLabels())
        .containsEntry(Labels.REVISION, "1")
        .containsEntry(Labels.PROCESS, "web");
  }

  @Test
  void switchStopsOldWorkersMovesScheduleAndAutoscalerAndStartsAtTheAutoscalersCount() {
    String ns = freshNamespace(kube);
    firstRevision(ns);
    await().atMost(Kube.WAIT).until(() -> autoscaler(ns) != null && cronJob(ns) != null);
    // the autoscaler scaled the serving worker to 6; the operator leaves that count alone
    scaleLikeTheAutoscaler(ns, "shop-r1-worker", 6);
    await()
        .during(java.time.Duration.ofMillis(500))
        .atMost(Kube.WAIT)
        .until(() -> kube.deployment(ns, "shop-r1-worker").getSpec().getReplicas() == 6);

    kube.editSpec(ns, "shop", s -> s.getSource().getGit().setRef("v2"));
    kube.buildSucceeds(ns, "shop-build-r2", digest('b'));
    Deployment worker2 = kube.awaitDeployment(ns, "shop-r2-worker");
    assertThat(worker2.getSpec().getReplicas())
        .as("a new revision starts at the count the autoscaler holds: no capacity drop")
        .isEqualTo(6);
    kube.makeAvailable(ns, "shop-r2");
    await()
        .during(java.time.Duration.ofMillis(500))
        .atMost(Kube.WAIT)
        .until(() -> kube.selected(ns, "shop") == 1);
    kube.makeAvailable(ns, "shop-r2-worker");
    await().atMost(Kube.WAIT).until(() -> kube.selected(ns, "shop") == 2);

    await()
        .atMost(Kube.WAIT)
        .until(
            () ->
                kube.deployment(ns, "shop-r1-worker").getSpec().getReplicas() == 0
                    && image(cronJob(ns)).equals(Kube.REPO + "@" + digest('b'))
                    && autoscaler(ns)
                        .getSpec()
                        .getScaleTargetRef()
                        .getName()
                        .equals("shop-r2-worker"));
    assertThat(kube.deployment(ns, "shop-r1").getSpec().getReplicas())
        .as("web of r1 stays warm")
        .isEqualTo(2);
    assertThat(cronJob(ns).getMetadata().getLabels()).containsEntry(Labels.REVISION, "2");
    assertThat(cronJobs(ns)).as("one CronJob per schedule, never one per revision").hasSize(1);

    // rollback: web, worker, schedule and autoscaler of r1 together, no build
    long t0 = System.nanoTime();
    kube.editSpec(ns, "shop", s -> s.setRevision(1));
    await()
        .atMost(Kube.WAIT)
        .pollInterval(java.time.Duration.ofMillis(5))
        .until(() -> kube.selected(ns, "shop") == 1);
    double ms = (System.nanoTime() - t0) / 1e6;
    System.out.printf("[processes] warm rollback with a worker: selector back in %.0f ms%n", ms);
    await()
        .atMost(Kube.WAIT)
        .until(
            () ->
                kube.deployment(ns, "shop-r1-worker").getSpec().getReplicas() > 0
                    && kube.deployment(ns, "shop-r2-worker").getSpec().getReplicas() == 0
                    && image(cronJob(ns)).equals(Kube.REPO + "@" + digest('a'))
                    && autoscaler(ns)
                        .getSpec()
                        .getScaleTargetRef()
                        .getName()
                        .equals("shop-r1-worker"));
    assertThat(kube.buildJobs(ns, "shop")).hasSize(2);
  }

  @Test
  void replicasTheAutoscalerOwnsAreNeverWrittenBack() throws Exception {
    String ns = freshNamespace(kube);
    firstRevision(ns);
    await().atMost(Kube.WAIT).until(() -> autoscaler(ns) != null && cronJob(ns) != null);
    scaleLikeTheAutoscaler(ns, "shop-r1-worker", 5);
    awaitRelease(kube, ns, "shop", x -> hasCondition(x, "Ready", "True", "Serving"));
    Thread.sleep(500);
    drainWrites(server);
    // the autoscaler reporting again and the Deployment controller writing status are events that
    // reconcile the release: nothing may be written back
    scaleLikeTheAutoscaler(ns, "shop-r1-worker", 5);
    Thread.sleep(1500);
    List<String> writes =
        drainWrites(server).stream()
            .filter(w -> w.contains("/namespaces/" + ns + "/"))
            .filter(w -> !w.contains("/deployments/shop-r1-worker"))
            .filter(w -> !w.contains("/horizontalpodautoscalers/shop-worker"))
            .toList();
    assertThat(writes).as("0 steady-state writes with an autoscaler and a schedule").isEmpty();
    assertThat(kube.deployment(ns, "shop-r1-worker").getSpec().getReplicas()).isEqualTo(5);
  }

  @Test
  void aWorkerThatNeverComesUpBlocksTheSwitch() {
    String ns = freshNamespace(kube);
    firstRevision(ns);
    kube.editSpec(
        ns,
        "shop",
        s -> {
          s.getSource().getGit().setRef("v3");
          s.getRollout().setProgressDeadlineSeconds(1);
        });
    kube.buildSucceeds(ns, "shop-build-r2", digest('c'));
    kube.awaitDeployment(ns, "shop-r2-worker");
    kube.makeAvailable(ns, "shop-r2"); // web is fine, the worker never is
    var degraded =
        awaitRelease(
            kube, ns, "shop", x -> hasCondition(x, "Degraded", "True", "ProgressDeadlineExceeded"));
    assertThat(condition(degraded, "Degraded").getMessage())
        .contains("worker: 0/2 replicas available")
        .contains("traffic stays on revision 1");
    assertThat(kube.selected(ns, "shop")).isEqualTo(1);
    assertThat(kube.deployment(ns, "shop-r1-worker").getSpec().getReplicas())
        .as("the serving revision's workers keep consuming")
        .isEqualTo(2);
    assertThat(image(cronJob(ns))).isEqualTo(Kube.REPO + "@" + digest('a'));
  }

  void scaleLikeTheAutoscaler(String ns, String deployment, int replicas) {
    Kube.retryOnConflict(
        () ->
            client
                .apps()
                .deployments()
                .inNamespace(ns)
                .withName(deployment)
                .edit(
                    d -> {
                      d.getSpec().setReplicas(replicas);
                      return d;
                    }));
    kube.makeAvailable(ns, deployment);
    Kube.retryOnConflict(
        () ->
            client
                .autoscaling()
                .v2()
                .horizontalPodAutoscalers()
                .inNamespace(ns)
                .withName("shop-worker")
                .edit(
                    h -> {
                      h.setStatus(
                          new HorizontalPodAutoscalerStatusBuilder()
                              .withCurrentReplicas(replicas)
                              .withDesiredReplicas(replicas)
                              .build());
                      return h;
                    }));
  }

  CronJob cronJob(String ns) {
    return client.batch().v1().cronjobs().inNamespace(ns).withName("shop-cleanup").get();
  }

  List<CronJob> cronJobs(String ns) {
    return client.batch().v1().cronjobs().inNamespace(ns).list().getItems();
  }

  HorizontalPodAutoscaler autoscaler(String ns) {
    return client
        .autoscaling()
        .v2()
        .horizontalPodAutoscalers()
        .inNamespace(ns)
        .withName("shop-worker")
        .get();
  }

  List<HorizontalPodAutoscaler> autoscalers(String ns) {
    return client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns).list().getItems();
  }

  static String image(CronJob c) {
    return c.getSpec()
        .getJobTemplate()
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .getImage();
  }
}
