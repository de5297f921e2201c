package dev.pyrelease.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pyrelease.api.v1alpha1.Phase;
import dev.pyrelease.api.v1alpha1.RevisionState;
import dev.pyrelease.api.v1alpha1.RevisionStatus;
import dev.pyrelease.kube.Labels;
import dev.pyrelease.operator.PyreleaseOperator;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The operator end to end on the mock API server, the test playing kubelet and controllers. */
@EnableKubernetesMockClient(crud = true)
class OperatorLifecycleTest extends OperatorTestBase {
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

  @org.junit.jupiter.api.BeforeEach
  void kube() {
    kube = new Kube(client);
  }

  /** Creates a release and takes it to revision 1 serving. */
  String firstRelease(String ns, String name, int standbySeconds) {
    var r = Kube.release(ns, name, "v1");
    r.getSpec().getRollout().setStandbySeconds(standbySeconds);
    kube.create(r);
    kube.buildSucceeds(ns, name + "-build-r1", digest('a'));
    kube.makeAvailable(ns, name + "-r1");
    awaitRelease(
        kube, ns, name, x -> Integer.valueOf(1).equals(x.getStatus().getCurrentRevision()));
    return ns;
  }

  /** From revision 1 serving, builds and switches to revision 2 (ref v2). */
  void secondRevision(String ns, String name) {
    kube.editSpec(ns, name, s -> s.getSource().getGit().setRef("v2"));
    kube.buildSucceeds(ns, name + "-build-r2", digest('b'));
    kube.awaitDeployment(ns, name + "-r2");
    kube.makeAvailable(ns, name + "-r2");
    awaitRelease(
        kube, ns, name, x -> Integer.valueOf(2).equals(x.getStatus().getCurrentRevision()));
  }

  @Test
  void firstReleaseBuildsDeploysAndSwitches() throws Exception {
    String ns = freshNamespace(kube);
    var r = Kube.release(ns, "shop", "v1");
    kube.create(r);
    var job = kube.awaitJob(ns, "shop-build-r1");
    assertThat(job.getMetadata().getLabels()).containsEntry(Labels.REVISION, "1");
    awaitRelease(kube, ns, "shop", x -> x.getStatus().getPhase() == Phase.Building);

    kube.buildSucceeds(ns, "shop-build-r1", digest('a'));
    Deployment d = kube.awaitDeployment(ns, "shop-r1");
    assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .isEqualTo(Kube.REPO + "@" + digest('a'));
    assertThat(kube.service(ns, "shop")).as("no traffic before available").isNull();

    kube.makeAvailable(ns, "shop-r1");
    var ready = awaitRelease(kube, ns, "shop", x -> x.getStatus().getPhase() == Phase.Ready);
    assertThat(kube.selected(ns, "shop")).isEqualTo(1);
    assertThat(ready.getStatus().getCurrentRevision()).isEqualTo(1);
    assertThat(ready.getStatus().getLatestRevision()).isEqualTo(1);
    assertThat(ready.getStatus().getCurrentImage()).isEqualTo(Kube.REPO + "@" + digest('a'));
    assertThat(ready.getStatus().getObservedGeneration())
        .isEqualTo(ready.getMetadata().getGeneration());
    assertThat(ready.getStatus().getRevisions())
        .singleElement()
        .satisfies(
            rev -> {
              assertThat(rev.getState()).isEqualTo(RevisionState.Active);
              assertThat(rev.getCommit()).isEqualTo(sha('1'));
              assertThat(rev.getBuildKey()).hasSize(64);
              // what the image installs, for pyrelease audit
              assertThat(rev.getDistributions())
                  .containsExactly("django==5.2.1", "gunicorn==23.0.0");
            });
    assertThat(hasCondition(ready, "SourceResolved", "True", "Resolved")).isTrue();
    assertThat(hasCondition(ready, "Built", "True", "Built")).isTrue();
    assertThat(hasCondition(ready, "Ready", "True", "Serving")).isTrue();
    assertThat(hasCondition(ready, "Degraded", "False", "AsExpected")).isTrue();

    // steady state: no writes at all
    Thread.sleep(500);
    drainWrites(server);
    Thread.sleep(2500);
    List<String> writes = drainWrites(server);
    System.out.println("steady-state write requests: " + writes.size() + " " + writes);
    assertThat(writes).isEmpty();
  }

  @Test
  void newCommitSwitchesBlueGreenWithWarmStandby() {
    String ns = firstRelease(freshNamespace(kube), "shop", 600);
    kube.editSpec(ns, "shop", s -> s.getSource().getGit().setRef("v2"));
    kube.buildSucceeds(ns, "shop-build-r2", digest('b'));
    kube.awaitDeployment(ns, "shop-r2");
    awaitRelease(kube, ns, "shop", x -> x.getStatus().getPhase() == Phase.RollingOut);
    assertThat(kube.selected(ns, "shop")).as("traffic stays until r2 is available").isEqualTo(1);

    kube.makeAvailable(ns, "shop-r2");
    var r =
        awaitRelease(
            kube, ns, "shop", x -> Integer.valueOf(2).equals(x.getStatus().getCurrentRevision()));
    assertThat(kube.selected(ns, "shop")).isEqualTo(2);
    Deployment old =
        await()
            .until(
                () -> kube.deployment(ns, "shop-r1"),
                d -> Labels.annotation(d, Labels.STANDBY_SINCE) != null);
    assertThat(old.getSpec().getReplicas()).as("warm standby").isEqualTo(2);
    assertThat(r.getStatus().getRevisions())
        .extracting(RevisionStatus::getNumber)
        .containsExactly(2, 1);
    var settled =
        awaitRelease(
            kube,
            ns,
            "shop",
            x -> x.getStatus().getRevisions().get(1).getState() == RevisionState.Standby);
    assertThat(settled.getStatus().getRevisions().get(0).getState())
        .isEqualTo(RevisionState.Active);
  }

  @Test
  void warmRollbackSwitchesInOneReconcile() {
    String ns = firstRelease(freshNamespace(kube), "shop", 600);
    secondRevision(ns, "shop");
    int jobs = kube.buildJobs(ns, "shop").size();
    long t0 = System.nanoTime();
    kube.editSpec(ns, "shop", s -> s.setRevision(1));
    await()
        .atMost(Kube.WAIT)
        .pollInterval(java.time.Duration.ofMillis(2))
        .until(() -> kube.selected(ns, "shop") == 1);
    long micros = (System.nanoTime() - t0) / 1000;
    System.out.printf(
        "warm rollback switch latency (spec change -> Service selector): %.1f ms%n",
        micros / 1000.0);
    var r =
        awaitRelease(
            kube, ns, "shop", x -> Integer.valueOf(1).equals(x.getStatus().getCurrentRevision()));
    assertThat(kube.buildJobs(ns, "shop")).hasSize(jobs);
    assertThat(kube.deployment(ns, "shop-r2").getSpec().getReplicas())
        .as("r2 now warm")
        .isEqualTo(2);
    assertThat(r.getStatus().getPhase()).isEqualTo(Phase.Ready);
    // clearing spec.revision follows the latest build again
    kube.editSpec(ns, "shop", s -> s.setRevision(null));
    await().atMost(Kube.WAIT).until(() -> kube.selected(ns, "shop") == 2);
    assertThat(kube.buildJobs(ns, "shop")).hasSize(jobs);
  }

  @Test
  void coldRollbackScalesUpWaitsThenSwitches() {
    String ns = firstRelease(freshNamespace(kube), "shop", 1);
    secondRevision(ns, "shop");
    await()
        .atMost(Kube.WAIT)
        .until(() -> kube.deployment(ns, "shop-r1").getSpec().getReplicas() == 0);
    awaitRelease(
        kube,
        ns,
        "shop",
        x -> x.getStatus().getRevisions().get(1).getState() == RevisionState.Retired);

    kube.editSpec(ns, "shop", s -> s.setRevision(1));
    await()
        .atMost(Kube.WAIT)
        .until(() -> kube.deployment(ns, "shop-r1").getSpec().getReplicas() == 2);
    assertThat(kube.selected(ns, "shop")).as("not before available").isEqualTo(2);
    kube.makeAvailable(ns, "shop-r1");
    await().atMost(Kube.WAIT).until(() -> kube.selected(ns, "shop") == 1);
    assertThat(kube.buildJobs(ns, "shop")).hasSize(2);
  }

  @Test
  void rollbackToRevisionNotRetainedChangesNothing() {
    String ns = firstRelease(freshNamespace(kube), "shop", 600);
    kube.editSpec(ns, "shop", s -> s.setRevision(9));
    var r =
        awaitRelease(
            kube, ns, "shop", x -> hasCondition(x, "Degraded", "True", "RevisionNotRetained"));
    assertThat(condition(r, "Degraded").getMessage())
        .contains("revision 9 is not retained")
        .contains("retained: 1");
    assertThat(kube.selected(ns, "shop")).isEqualTo(1);
    assertThat(r.getStatus().getCurrentRevision()).isEqualTo(1);
    assertThat(kube.buildJobs(ns, "shop")).hasSize(1);
  }

  @Test
  void refBackToAnOldCommitReactivatesWithoutBuilding() {
    String ns = firstRelease(freshNamespace(kube), "shop", 600);
    secondRevision(ns, "shop");
    kube.editSpec(ns, "shop", s -> s.getSource().getGit().setRef("v1"));
    await().atMost(Kube.WAIT).until(() -> kube.selected(ns, "shop") == 1);
    assertThat(kube.buildJobs(ns, "shop")).hasSize(2);
    var r =
        awaitRelease(
            kube, ns, "shop", x -> Integer.valueOf(1).equals(x.getStatus().getCurrentRevision()));
    assertThat(r.getStatus().getLatestRevision()).isEqualTo(2);
  }

  @Test
  void revisionsBeyondTheHistoryLimitAreDeleted() {
    String ns = freshNamespace(kube);
    var r = Kube.release(ns, "shop", "v1");
    r.getSpec().setRevisionHistoryLimit(2);
    kube.create(r);
    kube.buildSucceeds(ns, "shop-build-r1", digest('a'));
    kube.makeAvailable(ns, "shop-r1");
    await().atMost(Kube.WAIT).until(() -> kube.selected(ns, "shop") == 1);
    secondRevision(ns, "shop");
    kube.editSpec(ns, "shop", s -> s.getSource().getGit().setRef("v3"));
    kube.buildSucceeds(ns, "shop-build-r3", digest('c'));
    kube.makeAvailable(ns, "shop-r3");
    await().atMost(Kube.WAIT).until(() -> kube.selected(ns, "shop") == 3);
    await().atMost(Kube.WAIT).until(() -> kube.deployment(ns, "shop-r1") == null);
    var s = awaitRelease(kube, ns, "shop", x -> x.getStatus().getRevisions().size() == 2);
    assertThat(s.getStatus().getRevisions())
        .extracting(RevisionStatus::getNumber)
        .containsExactly(3, 2);
    assertThat(kube.deployment(ns, "shop-r2")).isNotNull();
    var events =
        client.v1().events().inNamespace(ns).list().getItems().stream()
            .map(e -> e.getReason())
            .toList();
    assertThat(events).contains("BuildStarted", "BuildSucceeded", "TrafficSwitched");
  }
}
