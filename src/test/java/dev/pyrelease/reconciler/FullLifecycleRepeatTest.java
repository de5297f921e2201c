package dev.pyrelease.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pyrelease.api.v1alpha1.Phase;
import dev.pyrelease.api.v1alpha1.RevisionState;
import dev.pyrelease.api.v1alpha1.RevisionStatus;
import dev.pyrelease.operator.PyreleaseOperator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;

/**
 * The whole lifecycle, twenty times: first release, new commit (blue/green with warm standby), warm
 * rollback, back to latest, ref back to the old commit (no build). Catches races that a single run
 * hides.
 */
@EnableKubernetesMockClient(crud = true)
class FullLifecycleRepeatTest extends OperatorTestBase {
  static KubernetesClient client;
  static KubernetesMockServer server;
  static PyreleaseOperator operator;
  static final FakeGit GIT = new FakeGit().ref("v1", sha('1')).ref("v2", sha('2'));

  @BeforeAll
  static void start() {
    operator = startOperator(client, GIT);
  }

  @AfterAll
  static void stop() {
    operator.close();
  }

  @RepeatedTest(20)
  void fullLifecycle() {
    Kube kube = new Kube(client);
    String ns = freshNamespace(kube);
    kube.create(Kube.release(ns, "shop", "v1"));
    kube.buildSucceeds(ns, "shop-build-r1", digest('a'));
    kube.makeAvailable(ns, "shop-r1");
    await().atMost(Kube.WAIT).until(() -> kube.selected(ns, "shop") == 1);

    kube.editSpec(ns, "shop", s -> s.getSource().getGit().setRef("v2"));
    kube.buildSucceeds(ns, "shop-build-r2", digest('b'));
    kube.makeAvailable(ns, "shop-r2");
    await().atMost(Kube.WAIT).until(() -> kube.selected(ns, "shop") == 2);
    assertThat(kube.deployment(ns, "shop-r1").getSpec().getReplicas()).isEqualTo(2);

    kube.editSpec(ns, "shop", s -> s.setRevision(1));
    await().atMost(Kube.WAIT).until(() -> kube.selected(ns, "shop") == 1);
    kube.editSpec(ns, "shop", s -> s.setRevision(null));
    await().atMost(Kube.WAIT).until(() -> kube.selected(ns, "shop") == 2);
    kube.editSpec(ns, "shop", s -> s.getSource().getGit().setRef("v1"));
    await().atMost(Kube.WAIT).until(() -> kube.selected(ns, "shop") == 1);

    var r =
        awaitRelease(
            kube,
            ns,
            "shop",
            x ->
                x.getStatus().getPhase() == Phase.Ready
                    && x.getStatus().getObservedGeneration().equals(x.getMetadata().getGeneration())
                    && Integer.valueOf(1).equals(x.getStatus().getCurrentRevision()));
    assertThat(r.getStatus().getRevisions())
        .extracting(RevisionStatus::getNumber, RevisionStatus::getState)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(2, RevisionState.Standby),
            org.assertj.core.groups.Tuple.tuple(1, RevisionState.Active));
    assertThat(kube.buildJobs(ns, "shop")).hasSize(2);
  }
}
