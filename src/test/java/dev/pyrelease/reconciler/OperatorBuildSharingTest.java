package dev.pyrelease.reconciler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.pyrelease.api.v1alpha1.PythonRelease;
import dev.pyrelease.config.OperatorConfig;
import dev.pyrelease.kube.Labels;
import dev.pyrelease.metrics.OperatorMetrics;
import dev.pyrelease.operator.PyreleaseOperator;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * One build per build key in the cluster (issue 18, deliverable 4) and the cluster-wide build limit
 * with builds of spec changes before rebuilds on a moved base (issue 15, deliverable 3).
 */
@EnableKubernetesMockClient(crud = true)
class OperatorBuildSharingTest extends OperatorTestBase {
  static KubernetesClient client;
  static KubernetesMockServer server;

  static final String TAG = "registry.test/python:3.11-slim";
  static final String PROD = "registry.test/prod/shop";

  /** Copies as a registry would (same digest, the target repository), recording each. */
  final List<String> copies = new CopyOnWriteArrayList<>();

  final ImageCopier copier =
      (image, repository, credentials) -> {
        copies.add(image + " -> " + repository);
        return repository + image.substring(image.indexOf('@'));
      };

  PyreleaseOperator start(MovingBases bases, Map<String, String> env) {
    Kube.installCrd(client);
    Map<String, String> all = new java.util.HashMap<>(env);
    all.put("PYRELEASE_OPERATOR_IMAGE", "registry.test/pyrelease:test");
    all.putIfAbsent("PYRELEASE_BASE_IMAGE_RECHECK_SECONDS", "3600");
    return new PyreleaseOperator(
            client,
            OperatorConfig.from(all),
            new FakeGit().ref("v1", sha('1')).ref("v2", sha('2')),
            bases,
            copier,
            Clock.systemUTC(),
            new OperatorMetrics())
        .start();
  }

  /** A release whose build key depends only on the commit (one index for all namespaces). */
  static PythonRelease shared(String ns, String name, String ref) {
    PythonRelease r = Kube.release(ns, name, ref);
    r.getSpec().getIndex().setUrl("https://pyrepo.test/shared-" + SUFFIX + "/simple/");
    return r;
  }

  static final String SUFFIX = Long.toString(System.nanoTime());

  @Test
  void releasesWithOneBuildKeyShareOneJobAndStatusSaysWhose() {
    MovingBases bases = new MovingBases().tag(TAG, digest('1'));
    try (PyreleaseOperator op = start(bases, Map.of())) {
      Kube kube = new Kube(client);
      String staging = freshNamespace(kube);
      String prod = freshNamespace(kube);
      String ns2 = freshNamespace(kube);
      kube.create(shared(staging, "shop", "v1"));
      Job job = kube.awaitJob(staging, "shop-build-r1");
      // the same key in the same repository, another namespace; and another repository
      kube.create(shared(ns2, "shop2", "v1"));
      PythonRelease p = shared(prod, "shop", "v1");
      p.getSpec().getImage().setRepository(PROD);
      kube.create(p);
      PythonRelease waiting =
          awaitRelease(
              kube, ns2, "shop2", x -> hasCondition(x, "Built", "False", "WaitingForBuild"));
      assertThat(condition(waiting, "Built").getMessage()).contains(staging + "/shop-build-r1");
      awaitRelease(kube, prod, "shop", x -> hasCondition(x, "Built", "False", "WaitingForBuild"));

      kube.buildSucceeds(staging, job.getMetadata().getName(), digest('a'));
      kube.makeAvailable(ns2, "shop2-r1");
      kube.makeAvailable(prod, "shop-r1");
      PythonRelease second =
          awaitRelease(kube, ns2, "shop2", x -> Integer.valueOf(1).equals(currentRevision(x)));
      PythonRelease promoted =
          awaitRelease(kube, prod, "shop", x -> Integer.valueOf(1).equals(currentRevision(x)));

      assertThat(second.getStatus().getCurrentImage()).isEqualTo(Kube.REPO + "@" + digest('a'));
      assertThat(second.getStatus().getRevisions().get(0).getReusedFrom())
          .isEqualTo(staging + "/shop revision 1 (reused)");
      assertThat(promoted.getStatus().getCurrentImage()).isEqualTo(PROD + "@" + digest('a'));
      assertThat(promoted.getStatus().getRevisions().get(0).getReusedFrom())
          .isEqualTo(staging + "/shop revision 1 (copied)");
      assertThat(copies).containsExactly(Kube.REPO + "@" + digest('a') + " -> " + PROD);
      assertThat(kube.buildJobs(ns2, "shop2")).isEmpty();
      assertThat(kube.buildJobs(prod, "shop")).isEmpty();
      assertThat(second.getStatus().getRevisions().get(0).getBuildKey())
          .isEqualTo(Labels.annotation(job, Labels.BUILD_KEY));

      // a finished build is reused later too, with no Job: promotion is a zero-build operation
      String later = freshNamespace(kube);
      PythonRelease l = shared(later, "shop", "v1");
      l.getSpec().getImage().setRepository(PROD);
      kube.create(l);
      kube.makeAvailable(later, "shop-r1");
      PythonRelease lr =
          awaitRelease(kube, later, "shop", x -> Integer.valueOf(1).equals(currentRevision(x)));
      assertThat(lr.getStatus().getRevisions().get(0).getReusedFrom()).contains("revision 1");
      assertThat(kube.buildJobs(later, "shop")).isEmpty();
    }
  }

  @Test
  void theBuildLimitHoldsAndBuildsOfSpecChangesGoBeforeBaseRebuilds() {
    // a tag of its own: the releases other tests left on the mock server do not move
    String tag = "registry.test/python:3.11-limit";
    MovingBases bases = new MovingBases().tag(tag, digest('1')).tag(TAG, digest('1'));
    try (PyreleaseOperator op = start(bases, Map.of("PYRELEASE_MAX_CONCURRENT_BUILDS", "2"))) {
      Kube kube = new Kube(client);
      String ns = freshNamespace(kube);
      List<String> fleet = IntStream.range(0, 4).mapToObj(i -> "p" + i).toList();
      for (String name : fleet) {
        PythonRelease r = Kube.release(ns, name, "v1");
        r.getSpec().getPython().setBaseImage(tag);
        kube.create(r);
      }
      // four releases of one key: one Job, the others wait for it
      Job first =
          await()
              .atMost(Kube.WAIT)
              .until(
                  () ->
                      client.batch().v1().jobs().inNamespace(ns).list().getItems().stream()
                          .findFirst()
                          .orElse(null),
                  j -> j != null);
      kube.buildSucceeds(ns, first.getMetadata().getName(), digest('a'));
      for (String name : fleet) {
        kube.makeAvailable(ns, name + "-r1");
        awaitRelease(kube, ns, name, x -> Integer.valueOf(1).equals(currentRevision(x)));
      }
      assertThat(client.batch().v1().jobs().inNamespace(ns).list().getItems()).hasSize(1);

      // give each its own key for the base rebuild: four builds, two slots
      for (int i = 0; i < fleet.size(); i++) {
        String line = "shop-part" + i + "==1.0\n";
        kube.editSpec(
            ns, fleet.get(i), s -> s.getRequirements().setInline("django==5.2.1\n" + line));
      }
      // those are spec changes (user builds): two run, two wait
      await().atMost(Kube.WAIT).until(() -> runningBuilds(kube, ns).size() == 2);
      List<Job> userBuilds = runningBuilds(kube, ns);
      long queued =
          fleet.stream()
              .map(n -> kube.get(ns, n))
              .filter(x -> hasCondition(x, "Built", "False", "Queued"))
              .count();
      await()
          .atMost(Kube.WAIT)
          .until(
              () ->
                  fleet.stream()
                          .map(n -> kube.get(ns, n))
                          .filter(x -> hasCondition(x, "Built", "False", "Queued"))
                          .count()
                      == 2);
      assertThat(queued).isLessThanOrEqualTo(2);
      PythonRelease q =
          fleet.stream()
              .map(n -> kube.get(ns, n))
              .filter(x -> hasCondition(x, "Built", "False", "Queued"))
              .findFirst()
              .orElseThrow();
      assertThat(condition(q, "Built").getMessage())
          .contains("PYRELEASE_MAX_CONCURRENT_BUILDS=2")
          .contains("builds of spec changes go first");

      // finish them: the queued ones start, never more than two at once
      for (Job j : userBuilds) {
        kube.buildSucceeds(ns, j.getMetadata().getName(), digest('b'));
      }
      await().atMost(Kube.WAIT).until(() -> buildsStarted(kube, ns) == 5);
      assertThat(runningBuilds(kube, ns)).hasSizeLessThanOrEqualTo(2);
      for (Job j : runningBuilds(kube, ns)) {
        kube.buildSucceeds(ns, j.getMetadata().getName(), digest('c'));
      }
      for (String name : fleet) {
        kube.makeAvailable(ns, name + "-r2");
      }
      for (String name : fleet) {
        awaitRelease(kube, ns, name, x -> Integer.valueOf(2).equals(currentRevision(x)));
      }

      // now the base moves (four base rebuilds) while a user changes p0 again: p0 goes first
      bases.tag(tag, digest('2'));
      op.baseTags().poll();
      await().atMost(Kube.WAIT).until(() -> runningBuilds(kube, ns).size() == 2);
      kube.editSpec(ns, "p0", s -> s.getSource().getGit().setRef("v2"));
      // p0's base rebuild (if it ran) is stale now and deleted; p0's spec build waits for a slot
      // ahead of the base rebuilds still queued
      PythonRelease patchQueued =
          await()
              .atMost(Kube.WAIT)
              .until(
                  () ->
                      fleet.stream()
                          .skip(1)
                          .map(n -> kube.get(ns, n))
                          .filter(x -> hasCondition(x, "Built", "False", "Queued"))
                          .findFirst()
                          .orElse(null),
                  x -> x != null);
      assertThat(condition(patchQueued, "Built").getMessage())
          .contains("a rebuild on a moved base image");
      while (true) {
        List<Job> running = runningBuilds(kube, ns);
        assertThat(running).hasSizeLessThanOrEqualTo(2);
        Job p0 =
            running.stream()
                .filter(j -> sha('2').equals(Labels.annotation(j, Labels.COMMIT)))
                .findFirst()
                .orElse(null);
        if (p0 != null) {
          break; // p0's build started while base rebuilds still wait
        }
        Job patch =
            running.stream()
                .filter(j -> !j.getMetadata().getName().startsWith("p0-"))
                .findFirst()
                .orElse(null);
        if (patch != null) {
          kube.buildSucceeds(ns, patch.getMetadata().getName(), digest('d'));
        }
        Thread.sleep(50);
      }
      assertThat(
              fleet.stream()
                  .skip(1)
                  .map(n -> kube.get(ns, n))
                  .filter(x -> hasCondition(x, "Built", "False", "Queued"))
                  .count())
          .as("base rebuilds still wait when p0's spec build starts")
          .isPositive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static Integer currentRevision(PythonRelease r) {
    return r.getStatus().getCurrentRevision();
  }

  static List<Job> runningBuilds(Kube kube, String ns) {
    return client.batch().v1().jobs().inNamespace(ns).list().getItems().stream()
        .filter(j -> "build".equals(j.getMetadata().getLabels().get(Labels.COMPONENT)))
        .filter(j -> JobState.of(j) == JobState.RUNNING)
        .toList();
  }

  static long buildsStarted(Kube kube, String ns) {
    return client.batch().v1().jobs().inNamespace(ns).list().getItems().stream()
        .filter(j -> "build".equals(j.getMetadata().getLabels().get(Labels.COMPONENT)))
        .count();
  }
}
