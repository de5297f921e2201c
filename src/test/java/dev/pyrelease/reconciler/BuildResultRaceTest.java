package dev.pyrelease.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pyrelease.api.v1alpha1.Phase;
import dev.pyrelease.api.v1alpha1.RevisionState;
import dev.pyrelease.api.v1alpha1.RevisionStatus;
import dev.pyrelease.operator.PyreleaseOperator;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The Job controller marks a build Job complete; the kubelet's last update of its pod (the assemble
 * step's termination message) reaches the operator's watch later. The build is not lost: the
 * operator waits for the pod's final status instead of recording "wrote no image" (issue 18,
 * deliverable 5).
 */
@EnableKubernetesMockClient(crud = true)
class BuildResultRaceTest extends OperatorTestBase {
  static KubernetesClient client;

  @Test
  void theJobsCompletionBeforeThePodsFinalStatusIsNotAFailedBuild() {
    Kube kube = new Kube(client);
    String ns = freshNamespace(kube);
    try (PyreleaseOperator op = startOperator(client, git)) {
      kube.create(Kube.release(ns, "shop", "v1"));
      Job job = kube.awaitJob(ns, "shop-build-r1");
      kube.buildPodRunning(job);
      kube.completeJob(ns, "shop-build-r1");

      // the operator has seen the complete Job with a pod still running its assemble step: it
      // keeps building, and records no revision, for as long as the pod says nothing more
      await()
          .during(Duration.ofMillis(1500))
          .atMost(Duration.ofSeconds(5))
          .until(
              () -> kube.get(ns, "shop"),
              r ->
                  r.getStatus() != null
                      && r.getStatus().getPhase() == Phase.Building
                      && r.getStatus().getRevisions().isEmpty());

      kube.buildPodSucceeded(job, digest('a'));
      kube.makeAvailable(ns, "shop-r1");
      var ready = awaitRelease(kube, ns, "shop", r -> r.getStatus().getPhase() == Phase.Ready);
      assertThat(ready.getStatus().getRevisions())
          .extracting(RevisionStatus::getNumber, RevisionStatus::getState, RevisionStatus::getImage)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(
                  1, RevisionState.Active, Kube.REPO + "@" + digest('a')));
      assertThat(kube.buildJobs(ns, "shop")).hasSize(1);
    }
  }
}
