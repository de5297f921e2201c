package dev.pyrelease.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pyrelease.api.v1alpha1.Phase;
import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.api.v1alpha1.PythonReleaseStatus;
import dev.pyrelease.api.v1alpha1.RevisionStatus;
import dev.pyrelease.operator.PyreleaseOperator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Restarts, many releases at once, and writes racing the operator's. */
@EnableKubernetesMockClient(crud = true)
class OperatorConcurrencyTest extends OperatorTestBase {
  static KubernetesClient client;
  static KubernetesMockServer server;
  Kube kube;

  @BeforeEach
  void kube() {
    kube = new Kube(client);
  }

  @Test
  void restartMidBuildAdoptsTheRunningJob() throws Exception {
    String ns = freshNamespace(kube);
    PyreleaseOperator first = startOperator(client, git);
    kube.create(Kube.release(ns, "shop", "v1"));
    kube.awaitJob(ns, "shop-build-r1");
    awaitRelease(kube, ns, "shop", x -> x.getStatus().getPhase() == Phase.Building);
    first.close();

    try (PyreleaseOperator second = startOperator(client, git)) {
      // the new operator reconciles everything at start; give it time to (not) start a build
      Thread.sleep(1500);
      assertThat(kube.buildJobs(ns, "shop")).hasSize(1);
      kube.buildSucceeds(ns, "shop-build-r1", digest('a'));
      kube.makeAvailable(ns, "shop-r1");
      var r = awaitRelease(kube, ns, "shop", x -> x.getStatus().getPhase() == Phase.Ready);
      assertThat(r.getStatus().getCurrentRevision()).isEqualTo(1);
      int duplicates = kube.buildJobs(ns, "shop").size() - 1;
      System.out.println("duplicate build Jobs across operator restart: " + duplicates);
      assertThat(duplicates).isZero();
    }
  }

  @Test
  void restartAfterRolloutWritesNothing() throws Exception {
    String ns = freshNamespace(kube);
    try (PyreleaseOperator first = startOperator(client, git)) {
      kube.create(Kube.release(ns, "shop", "v1"));
      kube.buildSucceeds(ns, "shop-build-r1", digest('a'));
      kube.makeAvailable(ns, "shop-r1");
      awaitRelease(kube, ns, "shop", x -> x.getStatus().getPhase() == Phase.Ready);
    }
    PythonRelease before = kube.get(ns, "shop");
    drainWrites(server);
    try (PyreleaseOperator second = startOperator(client, git)) {
      Thread.sleep(2000);
      List<String> writes =
          drainWrites(server).stream().filter(w -> w.contains("/namespaces/" + ns + "/")).toList();
      assertThat(writes).as("a restarted operator re-derives the same state").isEmpty();
      assertThat(kube.get(ns, "shop").getMetadata().getResourceVersion())
          .isEqualTo(before.getMetadata().getResourceVersion());
    }
  }

  @Test
  void twentyReleasesAtOnce() {
    String ns = freshNamespace(kube);
    try (PyreleaseOperator op = startOperator(client, git)) {
      // twenty build keys (one key would be built once: OperatorBuildSharingTest)
      IntStream.range(0, 20)
          .forEach(
              i -> {
                PythonRelease r = Kube.release(ns, "app" + i, "v1");
                r.getSpec()
                    .getRequirements()
                    .setInline("django==5.2.1\ngunicorn==23.0.0\nshop-part" + i + "==1.0\n");
                kube.create(r);
              });
      IntStream.range(0, 20)
          .parallel()
          .forEach(
              i -> kube.buildSucceeds(ns, "app" + i + "-build-r1", digest((char) ('a' + i % 6))));
      IntStream.range(0, 20).parallel().forEach(i -> kube.makeAvailable(ns, "app" + i + "-r1"));
      IntStream.range(0, 20)
          .forEach(
              i -> awaitRelease(kube, ns, "app" + i, x -> x.getStatus().getPhase() == Phase.Ready));
      assertThat(client.batch().v1().jobs().inNamespace(ns).list().getItems()).hasSize(20);
      IntStream.range(0, 20).forEach(i -> assertThat(kube.selected(ns, "app" + i)).isEqualTo(1));
    }
  }

  @Test
  void concurrentSpecAndStatusWritesConverge() {
    String ns = freshNamespace(kube);
    try (PyreleaseOperator op = startOperator(client, git)) {
      kube.create(Kube.release(ns, "shop", "v1"));
      kube.buildSucceeds(ns, "shop-build-r1", digest('a'));
      kube.makeAvailable(ns, "shop-r1");
      awaitRelease(kube, ns, "shop", x -> x.getStatus().getPhase() == Phase.Ready);

      // another writer scribbles on status, and a user edits the spec, while the operator works:
      // the operator's stale writes get 409 and are redone on fresh data
      for (int i = 0; i < 10; i++) {
        int replicas = 2 + i % 3;
        kube.editSpec(ns, "shop", s -> s.getRun().setReplicas(replicas));
        try {
          client
              .resources(PythonRelease.class)
              .inNamespace(ns)
              .withName("shop")
              .editStatus(
                  r -> {
                    r.getStatus().setPhase(Phase.Pending);
                    return r;
                  });
        } catch (KubernetesClientException e) {
          // a 409 here is the race too
        }
      }
      kube.editSpec(ns, "shop", s -> s.getRun().setReplicas(3));
      // the operator re-derives status from the cluster on the next event
      kube.makeAvailable(ns, "shop-r1");
      var r =
          await()
              .atMost(Kube.WAIT)
              .pollInterval(Duration.ofMillis(50))
              .until(
                  () -> kube.get(ns, "shop"),
                  x ->
                      x.getStatus() != null
                          && x.getStatus()
                              .getObservedGeneration()
                              .equals(x.getMetadata().getGeneration())
                          && x.getStatus().getPhase() == Phase.Ready);
      PythonReleaseStatus s = r.getStatus();
      assertThat(s.getRevisions()).extracting(RevisionStatus::getNumber).containsExactly(1);
      assertThat(s.getConditions()).extracting(c -> c.getType()).doesNotHaveDuplicates();
      assertThat(kube.deployment(ns, "shop-r1").getSpec().getReplicas()).isEqualTo(3);
      assertThat(kube.buildJobs(ns, "shop")).hasSize(1);
    }
  }

  @Test
  void injected409sOnStatusAndServiceAreRetried() throws Exception {
    String ns = freshNamespace(kube);
    var conflict =
        new io.fabric8.kubernetes.api.model.StatusBuilder()
            .withCode(409)
            .withReason("Conflict")
            .withMessage("the object has been modified")
            .build();
    // the mixed dispatcher answers these before the CRUD store: two stale status writes, one
    // stale Service switch
    server
        .expect()
        .put()
        .withPath("/apis/pyrelease.dev/v1alpha1/namespaces/" + ns + "/pythonreleases/shop/status")
        .andReturn(409, conflict)
        .times(2);
    // (an injected 409 has no newer version behind it, so each costs the writer's 2 s cache wait)
    try (PyreleaseOperator op = startOperator(client, git)) {
      kube.create(Kube.release(ns, "shop", "v1"));
      kube.buildSucceeds(ns, "shop-build-r1", digest('a'));
      kube.makeAvailable(ns, "shop-r1");
      awaitRelease(kube, ns, "shop", x -> x.getStatus().getPhase() == Phase.Ready);
      kube.editSpec(ns, "shop", s -> s.getSource().getGit().setRef("v2"));
      kube.buildSucceeds(ns, "shop-build-r2", digest('b'));
      server
          .expect()
          .put()
          .withPath("/api/v1/namespaces/" + ns + "/services/shop")
          .andReturn(409, conflict)
          .once();
      kube.makeAvailable(ns, "shop-r2");
      var r =
          awaitRelease(
              kube,
              ns,
              "shop",
              x ->
                  Integer.valueOf(2).equals(x.getStatus().getCurrentRevision())
                      && x.getStatus().getPhase() == Phase.Ready);
      assertThat(kube.selected(ns, "shop")).isEqualTo(2);
      assertThat(r.getStatus().getRevisions())
          .extracting(RevisionStatus::getNumber)
          .containsExactly(2, 1);
      assertThat(kube.buildJobs(ns, "shop")).hasSize(2);
    }
  }

  @Test
  void leaderElectedOperatorTakesTheLeaseAndReconciles() {
    String ns = freshNamespace(kube);
    kube.namespace("lease-" + ns);
    var config =
        dev.pyrelease.config.OperatorConfig.from(
            java.util.Map.of(
                "PYRELEASE_OPERATOR_IMAGE", "registry.test/pyrelease:test",
                "PYRELEASE_LEADER_ELECTION_LEASE", "pyrelease-operator",
                "PYRELEASE_LEADER_ELECTION_NAMESPACE", "lease-" + ns,
                "PYRELEASE_POD_NAME", "replica-a",
                "PYRELEASE_LEADER_ELECTION_EXIT_ON_LOSS", "false"));
    // JOSDK checks its Lease permissions first; the mock cannot answer that review by itself
    server
        .expect()
        .post()
        .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(
            201,
            new io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder()
                .withNewMetadata()
                .endMetadata()
                .withNewStatus()
                .addNewResourceRule()
                .withApiGroups("coordination.k8s.io")
                .withResources("leases")
                .withVerbs("*")
                .endResourceRule()
                .withIncomplete(false)
                .endStatus()
                .build())
        .always();
    try (PyreleaseOperator op = startOperator(client, git, config)) {
      kube.create(Kube.release(ns, "shop", "v1"));
      kube.awaitJob(ns, "shop-build-r1");
      var lease = client.leases().inNamespace("lease-" + ns).withName("pyrelease-operator").get();
      assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("replica-a");
    }
  }
}
